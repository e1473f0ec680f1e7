package cache

import (
	"context"
	"errors"
	"testing"
	"time"

	"ccwb.dev/client/internal/store"
	"ccwb.dev/client/internal/token"
)

// locker records how often the lock was taken and runs whileWaiting before granting it, the
// way another process's sign-in finishes while this one waits.
type locker struct {
	taken, held  int
	whileWaiting func()
}

func (l *locker) Lock(context.Context) (func(), error) {
	l.taken++
	if l.whileWaiting != nil {
		l.whileWaiting()
	}
	l.held++
	return func() { l.held-- }, nil
}

// signIn hands out tokens and records the previous tokens it was given.
type signIn struct {
	calls    int
	previous token.Tokens
	lock     *locker // the lock that must be held while signing in
	fresh    token.Tokens
}

func (s *signIn) SignIn(_ context.Context, previous token.Tokens) (token.Tokens, error) {
	s.calls++
	s.previous = previous
	if s.lock != nil && s.lock.held != 1 {
		return token.Tokens{}, errors.New("signed in without the lock")
	}
	return s.fresh, nil
}

func TestTokenCache(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	valid := token.Tokens{IDToken: "cached", IDExpiry: now.Add(time.Hour), RefreshToken: "r"}
	stale := token.Tokens{IDToken: "stale", IDExpiry: now.Add(ExpiryWindow - time.Second), RefreshToken: "r"}
	issued := token.Tokens{IDToken: "new", IDExpiry: now.Add(time.Hour), RefreshToken: "r2"}
	for _, tc := range []struct {
		name         string
		cached       *token.Tokens
		meanwhile    *token.Tokens // stored by "another process" while this one waits for the lock
		want         string
		locks, calls int
	}{
		{"fresh: no lock, no sign-in", &valid, nil, "cached", 0, 0},
		{"stale: sign in under the lock", &stale, nil, "new", 1, 1},
		{"nothing cached: sign in under the lock", nil, nil, "new", 1, 1},
		{"another process signed in meanwhile", &stale, &valid, "cached", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &Session{Store: store.Files{Dir: t.TempDir()}, Now: func() time.Time { return now }}
			if tc.cached != nil {
				if err := s.SaveTokens(*tc.cached); err != nil {
					t.Fatal(err)
				}
			}
			l := &locker{}
			if tc.meanwhile != nil {
				l.whileWaiting = func() { _ = s.SaveTokens(*tc.meanwhile) }
			}
			next := &signIn{lock: l, fresh: issued}
			got, err := (&TokenCache{Session: s, Next: next, Lock: l}).Token(context.Background())
			if err != nil || got.IDToken != tc.want || got.Cached != (tc.want == "cached") {
				t.Fatalf("Token = %+v, %v; want %s", got, err, tc.want)
			}
			if l.taken != tc.locks || next.calls != tc.calls || l.held != 0 {
				t.Errorf("locks %d, sign-ins %d, still held %d; want %d, %d, 0", l.taken, next.calls, l.held, tc.locks, tc.calls)
			}
			if tc.calls == 1 && tc.cached != nil && next.previous.RefreshToken != tc.cached.RefreshToken {
				t.Errorf("sign-in got refresh token %q, want the cached one", next.previous.RefreshToken)
			}
			if c, _ := s.Tokens(); c.IDToken != tc.want {
				t.Errorf("cache holds %q after Token, want %q", c.IDToken, tc.want)
			}
		})
	}
}

func TestTokenCacheInvalidateKeepsTheRefreshToken(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := &Session{Store: store.Files{Dir: t.TempDir()}, Now: func() time.Time { return now }}
	exp := now.Add(time.Hour)
	if err := s.SaveTokens(token.Tokens{IDToken: "i", IDExpiry: exp, RefreshToken: "r", AccessToken: "a", AccessExpiry: exp}); err != nil {
		t.Fatal(err)
	}
	l := &locker{}
	next := &signIn{lock: l, fresh: token.Tokens{IDToken: "new", IDExpiry: exp}}
	c := &TokenCache{Session: s, Next: next, Lock: l, Need: token.TelemetryToken}
	if err := c.Invalidate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.taken != 1 {
		t.Errorf("Invalidate took the lock %d times, want 1", l.taken)
	}
	got, err := c.Token(context.Background())
	if err != nil || got.IDToken != "new" || next.previous.RefreshToken != "r" || next.previous.IDToken != "" || next.previous.AccessToken != "" {
		t.Errorf("after Invalidate: Token %+v, %v, sign-in given %+v; want a renewal with only the refresh token", got, err, next.previous)
	}
}
