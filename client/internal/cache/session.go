package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/store"
	"ccwb.dev/client/internal/token"
)

// The keys of the values a profile keeps in its store, and their format. The format is the
// same since the first release, so a cache survives an upgrade.
const (
	keyCredentials = "credentials"
	keyTokens      = "tokens"
)

type storedCredentials struct {
	AccessKeyID     string    `json:"access_key_id"`
	SecretAccessKey string    `json:"secret_access_key"`
	SessionToken    string    `json:"session_token"`
	Expiration      time.Time `json:"expiration"`
}

type storedTokens struct {
	IDToken      string    `json:"id_token,omitempty"`
	IDExpiry     time.Time `json:"id_token_expiry,omitzero"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	AccessToken  string    `json:"access_token,omitempty"`
	AccessExpiry time.Time `json:"access_token_expiry,omitzero"`
}

// Session is one profile's cache: typed access to a store that discards corrupt and
// expired entries.
type Session struct {
	Store store.Store
	Warn  io.Writer        // where a discarded entry or a failed write is reported
	Now   func() time.Time // nil for time.Now
}

func (s *Session) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Credentials returns the cached credentials when they are fresh (ExpiryWindow). Stale or
// corrupt entries are removed.
func (s *Session) Credentials() (aws.Credentials, bool) {
	var c storedCredentials
	if !s.load(keyCredentials, &c) {
		return aws.Credentials{}, false
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expiration.IsZero() {
		s.discard(keyCredentials, errors.New("missing fields"))
		return aws.Credentials{}, false
	}
	if !fresh(c.Expiration, s.now()) {
		_ = s.Store.Delete(keyCredentials)
		return aws.Credentials{}, false
	}
	return aws.Credentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		CanExpire: true, Expires: c.Expiration, Source: "ccwb cache",
	}, true
}

// SaveCredentials stores credentials.
func (s *Session) SaveCredentials(c aws.Credentials) error {
	return s.save(keyCredentials, storedCredentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expires,
	})
}

// Tokens returns the cached tokens, marked Cached; the ID token may have expired while the
// refresh token still works. Corrupt entries, and expired ones without a refresh token, are
// removed.
func (s *Session) Tokens() (token.Tokens, bool) {
	var t storedTokens
	if !s.load(keyTokens, &t) {
		return token.Tokens{}, false
	}
	if !s.renewable(keyTokens, t.IDToken, t.IDExpiry, t.RefreshToken) {
		return token.Tokens{}, false
	}
	return token.Tokens{
		IDToken: t.IDToken, IDExpiry: t.IDExpiry, RefreshToken: t.RefreshToken,
		AccessToken: t.AccessToken, AccessExpiry: t.AccessExpiry, Cached: true,
	}, true
}

// SaveTokens stores tokens.
func (s *Session) SaveTokens(t token.Tokens) error {
	return s.save(keyTokens, storedTokens{
		IDToken: t.IDToken, IDExpiry: t.IDExpiry, RefreshToken: t.RefreshToken,
		AccessToken: t.AccessToken, AccessExpiry: t.AccessExpiry,
	})
}

// DropTokens removes the cached ID and telemetry tokens and keeps the refresh token, so that
// the next use renews them silently.
func (s *Session) DropTokens() error {
	t, ok := s.Tokens()
	if !ok {
		return nil
	}
	if t.RefreshToken == "" {
		return s.Store.Delete(keyTokens)
	}
	return s.SaveTokens(token.Tokens{RefreshToken: t.RefreshToken})
}

// Clear removes everything the profile cached.
func (s *Session) Clear() error {
	return errors.Join(s.Store.Delete(keyCredentials), s.Store.Delete(keyTokens), s.Store.Delete(keySSOToken), s.Store.Delete(keyRegistration))
}

// renewable keeps a stored token entry that is of use: a token still valid, or a refresh token
// to renew it with. Otherwise it removes the entry (an empty one as corrupt) and says no.
func (s *Session) renewable(key, tok string, expiry time.Time, refreshToken string) bool {
	switch {
	case tok == "" && refreshToken == "":
		s.discard(key, errors.New("no token"))
		return false
	case refreshToken == "" && !expiry.After(s.now()): // expired, and nothing to renew it with
		_ = s.Store.Delete(key)
		return false
	}
	return true
}

func (s *Session) load(key string, v any) bool {
	b, err := s.Store.Get(key)
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	if errors.Is(err, store.ErrCorrupt) {
		s.discard(key, err)
		return false
	}
	if err != nil {
		s.warn("ccwb: cannot read cached %s (%v); ignoring it\n", key, err)
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		s.discard(key, err)
		return false
	}
	return true
}

func (s *Session) discard(key string, why error) {
	s.warn("ccwb: cached %s was corrupt (%v); discarded it\n", key, why)
	_ = s.Store.Delete(key)
}

func (s *Session) warn(format string, args ...any) {
	if s.Warn != nil {
		fmt.Fprintf(s.Warn, format, args...)
	}
}

func (s *Session) save(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode cached %s: %w", key, err)
	}
	if err := s.Store.Put(key, b); err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}
