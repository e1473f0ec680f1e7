package sso

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/federation"
)

// Tokens is the source of the access portal's bearer token: the cached SSO token while it is
// fresh, else a silent refresh with the cached refresh token, else an interactive sign-in
// (SignIn). It runs under the profile's lock (inside the credentials cache), and keeps the
// registered client, the access token and the refresh token in the profile's store.
type Tokens struct {
	Session *cache.Session
	API     *API
	SignIn  *SignIn
	Stderr  io.Writer
}

// Token returns a fresh access token, or one just issued.
func (t *Tokens) Token(ctx context.Context) (cache.SSOToken, error) {
	cached, ok := t.Session.SSOToken()
	if ok && t.Session.Fresh(cached) {
		return cached, nil
	}
	if ok && cached.RefreshToken != "" {
		tok, err := t.refresh(ctx, cached.RefreshToken)
		if err == nil {
			return tok, nil
		}
		if !signInAgain(err) {
			return cache.SSOToken{}, err // network trouble: a sign-in would not help
		}
		_ = t.Session.DropSSOAccessToken(true)
		if t.SignIn.Deferred != nil {
			return cache.SSOToken{}, fmt.Errorf("your session ended (%v); %w", err, t.SignIn.Deferred)
		}
		fmt.Fprintf(t.Stderr, "ccwb: your session ended (%v); signing in again\n", err)
	}
	tok, err := t.SignIn.Run(ctx, t)
	if err != nil {
		return cache.SSOToken{}, err
	}
	return t.save(tok, ""), nil
}

// Invalidate drops the cached access token and keeps the refresh token: the portal refused
// the token, so the next Token renews it.
func (t *Tokens) Invalidate(context.Context) error { return t.Session.DropSSOAccessToken(false) }

// refresh renews the access token with the client that got the refresh token.
func (t *Tokens) refresh(ctx context.Context, refreshToken string) (cache.SSOToken, error) {
	reg, ok := t.Session.Registration()
	if !ok {
		return cache.SSOToken{}, &federation.APIError{Code: "InvalidClientException", Message: "the registered client has expired"}
	}
	tok, err := t.API.CreateToken(ctx, TokenInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, GrantType: GrantRefreshToken, RefreshToken: refreshToken})
	if err != nil {
		t.dropRegistrationIfRefused(err)
		return cache.SSOToken{}, explain("SSO OIDC CreateToken (refresh)", err)
	}
	return t.save(tok, refreshToken), nil
}

// registration returns a client registered for grant: the cached one, else a new one.
func (t *Tokens) registration(ctx context.Context, grant string, in RegisterInput) (cache.Registration, error) {
	if r, ok := t.Session.Registration(); ok && r.Grant == grant {
		return r, nil
	}
	r, err := t.API.RegisterClient(ctx, in)
	if err != nil {
		return cache.Registration{}, explain("SSO OIDC RegisterClient", err)
	}
	reg := cache.Registration{ClientID: r.ClientID, ClientSecret: r.ClientSecret, ExpiresAt: time.Unix(r.ClientSecretExpiresAt, 0).UTC(), Grant: grant}
	if err := t.Session.SaveRegistration(reg); err != nil {
		fmt.Fprintf(t.Stderr, "ccwb: could not cache the Identity Center client registration (%v)\n", err)
	}
	return reg, nil
}

// dropRegistrationIfRefused forgets a client SSO OIDC no longer accepts.
func (t *Tokens) dropRegistrationIfRefused(err error) {
	var api *federation.APIError
	if errors.As(err, &api) && (api.Code == "InvalidClientException" || api.Code == "UnauthorizedClientException") {
		_ = t.Session.DropRegistration()
	}
}

// save stores a token just issued (keeping previousRefresh when none came with it) and
// returns it.
func (t *Tokens) save(tok Token, previousRefresh string) cache.SSOToken {
	s := cache.SSOToken{AccessToken: tok.AccessToken, Expiry: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second).UTC(), RefreshToken: tok.RefreshToken}
	if s.RefreshToken == "" {
		s.RefreshToken = previousRefresh
	}
	if err := t.Session.SaveSSOToken(s); err != nil {
		fmt.Fprintf(t.Stderr, "ccwb: could not cache the sign-in (%v); you may be asked to sign in again\n", err)
	}
	return s
}

// signInAgain reports whether a failed refresh means the session is over (so an interactive
// sign-in helps), rather than trouble reaching AWS.
func signInAgain(err error) bool {
	var api *federation.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.Code {
	case "InvalidGrantException", "ExpiredTokenException", "InvalidClientException", "UnauthorizedClientException", "AccessDeniedException", "InvalidRequestException":
		return true
	}
	return false
}
