package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"ccwb.dev/client/internal/browser"
	"ccwb.dev/client/internal/callback"
	"ccwb.dev/client/internal/federation"
	"ccwb.dev/client/internal/login"
	"ccwb.dev/contract/signin"
)

// Scope is what the sign-in asks for: access to the accounts and roles assigned to the user.
const Scope = "sso:account:access"

// CallbackPath is the loopback redirect path; the AWS CLI registers the same
// (http://127.0.0.1/oauth/callback, any port: RFC 8252 section 7.3).
const CallbackPath = "/oauth/callback"

// SignIn signs in interactively at the access portal: the authorization code grant with PKCE
// through the browser and a loopback redirect, or the device authorization grant.
type SignIn struct {
	API        *API
	StartURL   string
	ClientName string        // the registered client's name, e.g. "ccwb-ClaudeCode"
	Method     string        // signin.Browser, signin.Device or signin.Auto
	Timeout    time.Duration // the wait for the browser or the code
	Prompt     io.Writer     // the URL and the code
	Stderr     io.Writer     // the browser's own output
	// Deferred, when set, is returned instead of signing in (CCWB_SIGN_IN=defer).
	Deferred error
}

// Run signs in and returns the token SSO OIDC issued.
func (s *SignIn) Run(ctx context.Context, t *Tokens) (Token, error) {
	if s.Deferred != nil {
		return Token{}, s.Deferred
	}
	method, why, err := login.Choose(s.Method, "", true, login.OSEnv())
	if err != nil {
		return Token{}, err
	}
	if why != "" {
		fmt.Fprintln(s.Prompt, why)
	}
	waitCtx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	var tok Token
	if method == signin.Device {
		tok, err = s.device(waitCtx, t)
	} else {
		tok, err = s.browser(waitCtx, t)
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return Token{}, fmt.Errorf("nobody finished signing in within %s: run the command again and complete the sign-in at the access portal", s.Timeout)
	}
	return tok, err
}

func (s *SignIn) browser(ctx context.Context, t *Tokens) (Token, error) {
	srv, err := callback.ListenAt(0, "127.0.0.1", CallbackPath)
	if err != nil {
		return Token{}, err
	}
	defer srv.Close()
	reg, err := t.registration(ctx, GrantAuthorizationCode, RegisterInput{
		ClientName: s.ClientName, ClientType: "public", Scopes: []string{Scope},
		RedirectURIs: []string{"http://127.0.0.1" + CallbackPath}, GrantTypes: []string{GrantAuthorizationCode, GrantRefreshToken}, IssuerURL: s.StartURL,
	})
	if err != nil {
		return Token{}, err
	}
	state, verifier := random(), oauth2.GenerateVerifier()
	authorize := s.API.OIDCURL() + "/authorize?" + url.Values{
		"response_type": {"code"}, "client_id": {reg.ClientID}, "redirect_uri": {srv.RedirectURL()}, "state": {state},
		"code_challenge_method": {"S256"}, "code_challenge": {oauth2.S256ChallengeFromVerifier(verifier)}, "scopes": {Scope},
	}.Encode()
	browser.Open(authorize, s.Prompt, s.Stderr)
	code, err := srv.Wait(ctx, state)
	if err != nil {
		return Token{}, err
	}
	tok, err := s.API.CreateToken(ctx, TokenInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, GrantType: GrantAuthorizationCode,
		Code: code, CodeVerifier: verifier, RedirectURI: srv.RedirectURL()})
	if err != nil {
		t.dropRegistrationIfRefused(err)
		return Token{}, explain("SSO OIDC CreateToken", err)
	}
	return tok, nil
}

func (s *SignIn) device(ctx context.Context, t *Tokens) (Token, error) {
	reg, err := t.registration(ctx, GrantDeviceCode, RegisterInput{ClientName: s.ClientName, ClientType: "public", Scopes: []string{Scope}})
	if err != nil {
		return Token{}, err
	}
	da, err := s.API.StartDeviceAuthorization(ctx, Registration{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret}, s.StartURL)
	if err != nil {
		t.dropRegistrationIfRefused(err)
		return Token{}, explain("SSO OIDC StartDeviceAuthorization", err)
	}
	expires := time.Duration(da.ExpiresIn) * time.Second
	lasts := expires
	if deadline, ok := ctx.Deadline(); ok {
		lasts = min(lasts, time.Until(deadline))
	}
	login.DevicePrompt(s.Prompt, da.VerificationURI, da.VerificationURIComplete, da.UserCode, lasts)
	ctx, cancel := context.WithTimeout(ctx, expires)
	defer cancel()
	return poll(ctx, s.API, TokenInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, GrantType: GrantDeviceCode, DeviceCode: da.DeviceCode}, da.Interval)
}

// poll asks for the device grant's token every interval seconds (1 when none is given), 5 s
// more after each SlowDownException (RFC 8628 section 3.5), until the user approves or
// denies, or the code or ctx expires.
func poll(ctx context.Context, api *API, in TokenInput, interval int) (Token, error) {
	wait := time.Duration(max(interval, 1)) * time.Second
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return Token{}, fmt.Errorf("the code expired before it was entered: run the command again and enter the new code (%w)", ctx.Err())
		case <-timer.C:
		}
		tok, err := api.CreateToken(ctx, in)
		var apiErr *federation.APIError
		switch {
		case err == nil:
			return tok, nil
		case !errors.As(err, &apiErr):
			return Token{}, explain("SSO OIDC CreateToken", err)
		case apiErr.Code == "AuthorizationPendingException":
		case apiErr.Code == "SlowDownException":
			wait += 5 * time.Second
		case apiErr.Code == "AccessDeniedException":
			return Token{}, errors.New("the sign-in was declined at the access portal: run the command again and allow it")
		case apiErr.Code == "ExpiredTokenException":
			return Token{}, errors.New("the code expired before it was entered: run the command again and enter the new code")
		default:
			return Token{}, explain("SSO OIDC CreateToken", err)
		}
		timer.Reset(wait)
	}
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
