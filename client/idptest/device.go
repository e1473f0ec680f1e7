package idptest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// The device authorization grant (RFC 8628) at the provider: zitadel's op serves
// /device_authorization and the device_code grant when its storage implements
// op.DeviceAuthorizationStorage, and answers each poll from the state the storage returns
// (op.CheckDeviceAuthorizationState): pending, approved, denied, expired, or slow_down when
// the storage reports context.DeadlineExceeded. The storage reports it for a poll that comes
// sooner than the interval after the previous one, as RFC 8628 section 3.5 lets a server
// do, and for as many polls as a test scripts with SlowDown.

// deviceAuth is one device authorization, from /device_authorization to its token.
type deviceAuth struct {
	clientID, userCode string
	scopes             []string
	expires            time.Time
	done, denied       bool
	subject            string
	authTime           time.Time
	lastPoll           time.Time
}

// deviceStore holds the device authorizations (guarded by storage.mu).
type deviceStore struct {
	byCode    map[string]*deviceAuth // by device code
	byUser    map[string]string      // user code -> device code
	slowDowns int                    // the next polls that answer slow_down
}

// DeviceCounters count the device grant's traffic at a provider.
type DeviceCounters struct {
	// Authorizations are device authorizations started; Polls the polls of the device_code
	// grant; SlowDowns the polls answered slow_down.
	Authorizations, Polls, SlowDowns atomic.Int64
}

// errPolledEarly makes zitadel answer slow_down.
var errPolledEarly = fmt.Errorf("polled early: %w", context.DeadlineExceeded)

func (s *storage) StoreDeviceAuthorization(_ context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.device.byUser[userCode]; taken {
		return op.ErrDuplicateUserCode
	}
	s.device.byCode[deviceCode] = &deviceAuth{clientID: clientID, userCode: userCode, scopes: scopes, expires: expires}
	s.device.byUser[userCode] = deviceCode
	s.counters.Authorizations.Add(1)
	return nil
}

// GetDeviceAuthorizatonState (sic: zitadel's spelling) answers one poll.
func (s *storage) GetDeviceAuthorizatonState(_ context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters.Polls.Add(1)
	d, ok := s.device.byCode[deviceCode]
	if !ok || d.clientID != clientID {
		return nil, errors.New("unknown device code")
	}
	now := time.Now()
	early := !d.lastPoll.IsZero() && now.Before(d.lastPoll.Add(s.opts.DevicePollInterval*3/4)) // a little leeway for the time a poll takes
	d.lastPoll = now
	if early || s.device.slowDowns > 0 {
		s.device.slowDowns = max(0, s.device.slowDowns-1)
		s.counters.SlowDowns.Add(1)
		return nil, errPolledEarly
	}
	return &op.DeviceAuthorizationState{
		ClientID: d.clientID, Audience: []string{d.clientID}, Scopes: d.scopes, Expires: d.expires,
		Done: d.done, Denied: d.denied, Subject: d.subject, AMR: []string{"pwd"}, AuthTime: d.authTime,
	}, nil
}

// decideDevice approves (or denies) the authorization of userCode as the user with these
// credentials; it reports whether they were right.
func (s *storage) decideDevice(userCode, username, password string, approve bool) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.device.byCode[s.device.byUser[userCode]]
	if !ok {
		return false, fmt.Errorf("no sign-in is waiting for code %q", userCode)
	}
	if time.Now().After(d.expires) {
		return false, fmt.Errorf("code %q has expired", userCode)
	}
	u, ok := s.users[username]
	if !ok || u.Password != password {
		return false, nil
	}
	if approve {
		d.done, d.subject, d.authTime = true, u.Subject, time.Now()
	} else {
		d.denied = true
	}
	return true, nil
}

// SlowDown makes the next n polls of the device_code grant answer slow_down.
func (p *Provider) SlowDown(n int) {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	p.storage.device.slowDowns = n
}

// ApproveDevice approves the device authorization of userCode as u, as the user does on the
// verification page.
func (p *Provider) ApproveDevice(userCode string, u User) error { return p.decide(userCode, u, true) }

// DenyDevice denies the device authorization of userCode as u.
func (p *Provider) DenyDevice(userCode string, u User) error { return p.decide(userCode, u, false) }

func (p *Provider) decide(userCode string, u User, approve bool) error {
	ok, err := p.storage.decideDevice(userCode, u.Username, u.Password, approve)
	if err == nil && !ok {
		err = errors.New("wrong username or password")
	}
	return err
}
