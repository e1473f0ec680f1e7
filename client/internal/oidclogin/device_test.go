package oidclogin

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/signin"
)

// The device authorization grant against zitadel's device endpoint, in a synctest bubble:
// the provider is served in memory, so the bubble's clock moves only when the client and
// the "user" both wait, and every time below is exact. The provider answers slow_down to any
// poll sooner than its interval after the previous one, so a client that polls too often
// shows up as extra slow_downs.

// prompts is the device prompt as the user reads it.
type prompts struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *prompts) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

var userCodeRe = regexp.MustCompile(`(?m)^  ([A-Z]{4}-[A-Z]{4})$`)

// code is the user code the prompt shows.
func (p *prompts) code(t *testing.T) string {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	m := userCodeRe.FindStringSubmatch(p.buf.String())
	if m == nil {
		t.Fatalf("the prompt shows no user code:\n%s", p.buf.String())
	}
	return m[1]
}

type deviceRun struct {
	idp     *idptest.Provider
	prompt  *prompts
	started time.Time
	done    chan struct{}
	tok     token.Tokens
	err     error
	took    time.Duration
}

// startDevice starts a device sign-in against a fresh in-memory provider.
func startDevice(t *testing.T, o idptest.Options) *deviceRun {
	o.InMemory = true
	if o.DevicePollInterval == 0 {
		o.DevicePollInterval = 5 * time.Second
	}
	r := &deviceRun{idp: idptest.NewProvider(t, o), prompt: &prompts{}, started: time.Now(), done: make(chan struct{})}
	c := &Client{Issuer: r.idp.Issuer, ClientID: r.idp.ClientID, Type: provider.Generic, Method: signin.Device,
		Timeout: time.Hour, Stderr: io.Discard, Prompt: r.prompt, HTTPClient: r.idp.Client()}
	go func() {
		defer close(r.done)
		r.tok, r.err = c.SignIn(context.Background(), token.Tokens{})
		r.took = time.Since(r.started)
	}()
	return r
}

// at waits until d has passed since the start, in the bubble's time.
func (r *deviceRun) at(d time.Duration) { time.Sleep(time.Until(r.started.Add(d))) }

func (r *deviceRun) wait() { <-r.done }

func TestDeviceLoginApproved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startDevice(t, idptest.Options{})
		r.at(12 * time.Second) // the user enters the code between the second and third poll
		if err := r.idp.ApproveDevice(r.prompt.code(t), idptest.DefaultUser); err != nil {
			t.Fatal(err)
		}
		r.wait()
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.took != 15*time.Second || r.idp.Device.Polls.Load() != 3 {
			t.Errorf("signed in after %s and %d polls, want 15s and 3 (every 5 s)", r.took, r.idp.Device.Polls.Load())
		}
		if n := r.idp.Device.SlowDowns.Load(); n != 0 {
			t.Errorf("%d polls came sooner than the interval", n)
		}
		c, err := claims.Parse(r.tok.IDToken)
		if err != nil || c.String("sub") != idptest.DefaultUser.Subject || r.tok.RefreshToken == "" {
			t.Errorf("tokens %+v (%v): want the user's verified ID token and a refresh token", c, err)
		}
		if p := r.prompt.buf.String(); !strings.Contains(p, r.idp.Issuer+idptest.DevicePath) || !strings.Contains(p, "expires in 10m0s") {
			t.Errorf("the prompt lacks the verification URL or the expiry:\n%s", p)
		}
	})
}

func TestDeviceLoginDenied(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startDevice(t, idptest.Options{})
		r.at(7 * time.Second)
		if err := r.idp.DenyDevice(r.prompt.code(t), idptest.DefaultUser); err != nil {
			t.Fatal(err)
		}
		r.wait()
		if r.err == nil || !strings.Contains(r.err.Error(), "the sign-in was declined") || r.took != 10*time.Second {
			t.Errorf("after %s: %v; want the decline at the next poll (10s)", r.took, r.err)
		}
	})
}

func TestDeviceLoginCodeExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startDevice(t, idptest.Options{DeviceCodeLifetime: 2 * time.Minute})
		r.wait()
		if r.err == nil || !strings.Contains(r.err.Error(), "the code expired before it was entered") {
			t.Fatalf("%v, want the code's expiry", r.err)
		}
		if r.took != 2*time.Minute {
			t.Errorf("gave up after %s, want exactly the code's lifetime (2m0s)", r.took)
		}
		if r.tok != (token.Tokens{}) {
			t.Errorf("tokens %+v after an expired code", r.tok)
		}
	})
}

// slow_down adds 5 s to the interval for that poll and every later one (RFC 8628 3.5).
func TestDeviceLoginSlowsDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startDevice(t, idptest.Options{})
		r.idp.SlowDown(1) // the first poll, at 5 s, is told to slow down: then 15 s, 25 s
		r.at(16 * time.Second)
		if err := r.idp.ApproveDevice(r.prompt.code(t), idptest.DefaultUser); err != nil {
			t.Fatal(err)
		}
		r.wait()
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.took != 25*time.Second || r.idp.Device.Polls.Load() != 3 {
			t.Errorf("signed in after %s and %d polls, want 25s and 3 (5 s, then every 10 s)", r.took, r.idp.Device.Polls.Load())
		}
		if n := r.idp.Device.SlowDowns.Load(); n != 1 {
			t.Errorf("%d slow_downs, want only the scripted one (a later poll came too soon)", n)
		}
	})
}

// The device grant's ID token is verified as the browser flow's is.
func TestDeviceLoginVerifiesTheIDToken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  idptest.Options
		wrong bool
		want  string
	}{
		{"signature", idptest.Options{}, true, "signature does not match"},
		{"expired", idptest.Options{IDTokenLifetime: -time.Minute}, false, "had already expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startDevice(t, tc.opts)
				if tc.wrong {
					r.idp.PublishWrongKey(t)
				}
				r.at(time.Second)
				if err := r.idp.ApproveDevice(r.prompt.code(t), idptest.DefaultUser); err != nil {
					t.Fatal(err)
				}
				r.wait()
				if r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
					t.Errorf("%v, want %q", r.err, tc.want)
				}
			})
		})
	}
}
