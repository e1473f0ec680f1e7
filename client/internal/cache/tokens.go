package cache

import (
	"context"

	"ccwb.dev/client/internal/lock"
	"ccwb.dev/client/internal/token"
)

// SignIn gets new tokens from the identity provider: silently with previous.RefreshToken when
// there is one, through the browser otherwise.
type SignIn interface {
	SignIn(ctx context.Context, previous token.Tokens) (token.Tokens, error)
}

// TokenCache is a token.Source that returns the cached tokens while the token Need names is
// fresh, and otherwise takes Lock, reads the cache again (a concurrent process may have
// signed in while this one waited) and asks Next, storing what it returns.
type TokenCache struct {
	Session *Session
	Next    SignIn
	// Lock is always taken before Next is asked or the cache is changed: the profile's lock
	// file, or lock.Held inside the credentials cache, which holds it already.
	Lock lock.Locker
	Need token.Need
}

// Token implements token.Source. Tokens just issued are handed out even when they expire
// within the window; the caller checks that the token it needs was issued at all.
func (c *TokenCache) Token(ctx context.Context) (token.Tokens, error) {
	if t, err := c.Session.FreshTokens(c.Need); err == nil {
		return t, nil
	}
	unlock, err := c.Lock.Lock(ctx)
	if err != nil {
		return token.Tokens{}, err
	}
	defer unlock()
	if t, err := c.Session.FreshTokens(c.Need); err == nil {
		return t, nil
	}
	previous, _ := c.Session.Tokens()
	t, err := c.Next.SignIn(ctx, previous)
	if err != nil {
		return token.Tokens{}, err
	}
	if err := c.Session.SaveTokens(t); err != nil {
		c.Session.warn("ccwb: could not cache the login (%v); you may be asked to sign in again\n", err)
	}
	return t, nil
}

// Invalidate implements token.Source: it drops the cached ID and telemetry tokens and keeps
// the refresh token.
func (c *TokenCache) Invalidate(ctx context.Context) error {
	unlock, err := c.Lock.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return c.Session.DropTokens()
}

var _ token.Source = (*TokenCache)(nil)
