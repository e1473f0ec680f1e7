// Package oidclogin gets a verified ID token from the identity provider: silently with a
// refresh token when one is cached, otherwise with the authorization code flow (PKCE S256,
// random state and nonce) through the user's browser and a loopback callback.
package oidclogin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"ccwb.dev/client/internal/browser"
	"ccwb.dev/client/internal/callback"
	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/login"
	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/signin"
)

// DefaultTimeout is how long a browser login, or the entry of a device code, may take.
const DefaultTimeout = 3 * time.Minute

// Client talks to one identity provider for one public client. It implements
// cache.SignIn. Discovery happens on first use, never on the cached path.
type Client struct {
	Issuer       string
	ClientID     string
	ClientSecret string // only for providers that insist (Google installed apps)
	Type         provider.Type
	Port         int           // loopback callback port
	Timeout      time.Duration // browser login; default DefaultTimeout
	Stderr       io.Writer     // progress and errors
	HTTPClient   *http.Client  // optional
	// Method is signin.Browser (default), signin.Device or signin.Auto: how SignIn signs in
	// when it must.
	Method string
	// Prompt is where the URL to open and the device code go; default Stderr.
	Prompt io.Writer
	// Deferred, when set, is returned instead of signing in interactively: someone else
	// (Claude Code's awsAuthRefresh) shows the prompts; a silent refresh still happens.
	Deferred error
	// TelemetryAudience and TelemetryScope, when set, ask for an access token of that
	// audience beside the ID token (the otel-helper's bearer token); see provider.TelemetryFor.
	TelemetryAudience, TelemetryScope string
	// SuccessNote, when set, adds a line to the sign-in success page (the upgrade notice,
	// which the AWS SDKs would not show from stderr).
	SuccessNote func() string

	once     sync.Once
	provider *oidc.Provider
	err      error
}

// ErrLoginTimeout means nobody finished signing in in time.
var ErrLoginTimeout = errors.New("login timed out")

func (c *Client) ctx(ctx context.Context) context.Context {
	if c.HTTPClient != nil {
		return oidc.ClientContext(ctx, c.HTTPClient)
	}
	return ctx
}

// discover fetches the provider's discovery document once.
func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.once.Do(func() {
		c.provider, c.err = oidc.NewProvider(c.ctx(ctx), c.Issuer)
		if c.err != nil {
			c.err = fmt.Errorf("cannot reach the identity provider at %s (%v): check your network or VPN, then run the command again", c.Issuer, c.err)
		}
	})
	return c.provider, c.err
}

func (c *Client) config(p *oidc.Provider, redirect string) *oauth2.Config {
	scopes := provider.QuirksFor(c.Type).Scopes
	if c.TelemetryScope != "" {
		scopes = append(scopes, c.TelemetryScope)
	}
	endpoint := p.Endpoint()
	if c.ClientSecret == "" {
		endpoint.AuthStyle = oauth2.AuthStyleInParams // a public client: client_id in the body, no Basic header to try first
	}
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		Endpoint:     endpoint,
		RedirectURL:  redirect,
		Scopes:       scopes,
	}
}

// authOptions are the provider's extra authorization parameters, then those that ask for the
// telemetry token (which win), as options of the authorization or device authorization request.
func (c *Client) authOptions() []oauth2.AuthCodeOption {
	var opts []oauth2.AuthCodeOption
	add := func(params map[string]string) {
		for k, v := range params {
			opts = append(opts, oauth2.SetAuthURLParam(k, v)) // sets: a later value wins
		}
	}
	add(provider.QuirksFor(c.Type).AuthParams)
	if c.TelemetryAudience != "" {
		if t, err := provider.TelemetryFor(c.Type, c.Issuer, c.TelemetryAudience, c.TelemetryScope); err == nil {
			add(t.AuthParams)
		}
	}
	return opts
}

// SignIn refreshes with previous.RefreshToken when there is one, and signs in through the
// browser otherwise (or when the refresh is refused).
func (c *Client) SignIn(ctx context.Context, previous token.Tokens) (token.Tokens, error) {
	if previous.RefreshToken != "" {
		t, err := c.Refresh(ctx, previous.RefreshToken)
		if err == nil {
			return t, nil
		}
		var rerr *oauth2.RetrieveError
		if !errors.As(err, &rerr) && !errors.Is(err, errNoIDToken) {
			return token.Tokens{}, err // network trouble: a browser login would not help
		}
		if c.Deferred != nil {
			return token.Tokens{}, fmt.Errorf("your session ended (%v); %w", err, c.Deferred)
		}
		fmt.Fprintf(c.Stderr, "ccwb: your session ended (%v); signing in again\n", err)
	}
	if c.Deferred != nil {
		return token.Tokens{}, c.Deferred
	}
	method, err := c.method(ctx)
	if err != nil {
		return token.Tokens{}, err
	}
	if method == signin.Device {
		return c.DeviceLogin(ctx)
	}
	return c.Login(ctx)
}

// method is the login method to use now: Method, or for signin.Auto what login.Choose picks
// on this machine (the device grant only where the provider offers it), saying why.
func (c *Client) method(ctx context.Context) (string, error) {
	if c.Method != signin.Auto {
		return c.Method, nil
	}
	p, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	device := c.Type != provider.Cognito && p.Endpoint().DeviceAuthURL != ""
	m, why, err := login.Choose(signin.Auto, "", device, login.OSEnv())
	if why != "" {
		fmt.Fprintln(c.prompt(), why)
	}
	return m, err
}

func (c *Client) prompt() io.Writer {
	if c.Prompt != nil {
		return c.Prompt
	}
	return c.Stderr
}

func (c *Client) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

var errNoIDToken = errors.New("the identity provider answered without an ID token")

// Refresh exchanges a refresh token for new tokens, silently.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (token.Tokens, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return token.Tokens{}, err
	}
	tok, err := c.config(p, "").TokenSource(c.ctx(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return token.Tokens{}, fmt.Errorf("refresh the login: %w", err)
	}
	return c.tokens(ctx, tok, "", refreshToken)
}

// Login runs the browser flow.
func (c *Client) Login(ctx context.Context) (token.Tokens, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return token.Tokens{}, err
	}
	srv, err := callback.Listen(c.Port)
	if err != nil {
		return token.Tokens{}, err
	}
	defer srv.Close()
	if c.SuccessNote != nil {
		srv.SuccessNote = c.SuccessNote()
	}
	state, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
	cfg := c.config(p, srv.RedirectURL())
	opts := append([]oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}, c.authOptions()...)
	browser.Open(cfg.AuthCodeURL(state, opts...), c.prompt(), c.Stderr)

	timeout := c.timeout()
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	code, err := srv.Wait(waitCtx, state)
	if errors.Is(err, context.DeadlineExceeded) {
		return token.Tokens{}, fmt.Errorf("%w after %s: nobody finished signing in. Run the command again and complete the sign-in in the browser; over SSH, forward the callback port (ssh -L %d:127.0.0.1:%d <host>) and open the printed URL in your local browser", ErrLoginTimeout, timeout, c.Port, c.Port)
	}
	if errors.Is(err, context.Canceled) {
		return token.Tokens{}, errors.New("sign-in cancelled")
	}
	if err != nil {
		return token.Tokens{}, err
	}
	tok, err := cfg.Exchange(c.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return token.Tokens{}, fmt.Errorf("exchange the authorization code at %s: %w", p.Endpoint().TokenURL, err)
	}
	return c.tokens(ctx, tok, nonce, "")
}

// tokens verifies the ID token of a token response; previousRefresh is kept when the
// provider does not rotate refresh tokens.
func (c *Client) tokens(ctx context.Context, tok *oauth2.Token, nonce, previousRefresh string) (token.Tokens, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return token.Tokens{}, errNoIDToken
	}
	idt, err := c.Verify(ctx, raw)
	if err != nil {
		return token.Tokens{}, err
	}
	if nonce != "" && idt.Nonce != nonce {
		return token.Tokens{}, errors.New("the ID token's nonce does not match this login: run the command again")
	}
	refresh := tok.RefreshToken
	if refresh == "" {
		refresh = previousRefresh
	}
	t := token.Tokens{IDToken: raw, IDExpiry: idt.Expiry, RefreshToken: refresh}
	if c.TelemetryAudience != "" {
		t.AccessToken, t.AccessExpiry = c.telemetryToken(tok)
	}
	return t, nil
}

// telemetryToken keeps the response's access token as the telemetry token when it is one:
// issued for the telemetry audience and not for the client (claims.CheckTelemetryToken).
// Otherwise it warns and keeps none; the sign-in itself stands, since Bedrock does not need it.
func (c *Client) telemetryToken(tok *oauth2.Token) (string, time.Time) {
	if err := claims.CheckTelemetryToken(tok.AccessToken, c.TelemetryAudience, c.ClientID); err != nil {
		fmt.Fprintf(c.Stderr, "ccwb: no telemetry token: %v; usage metrics will not be accepted until your administrator fixes the telemetry settings of the identity provider\n", err)
		return "", time.Time{}
	}
	expiry := tok.Expiry
	if cl, err := claims.Parse(tok.AccessToken); err == nil {
		if exp := cl.Time("exp"); !exp.IsZero() && (expiry.IsZero() || exp.Before(expiry)) {
			expiry = exp
		}
	}
	return tok.AccessToken, expiry
}

// Verify checks an ID token's signature against the provider's JWKS, its issuer, audience
// and expiry, and explains a failure in plain words.
func (c *Client) Verify(ctx context.Context, raw string) (*oidc.IDToken, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.ClientID}).Verify(c.ctx(ctx), raw)
	if err != nil {
		return nil, explainVerify(err, c.ClientID)
	}
	var party struct {
		Azp *string `json:"azp"`
	}
	if err := idt.Claims(&party); err != nil {
		return nil, fmt.Errorf("read the ID token's claims: %w", err)
	}
	if err := checkAuthorizedParty(idt.Audience, party.Azp, c.ClientID); err != nil {
		return nil, err
	}
	return idt, nil
}

// checkAuthorizedParty applies OpenID Connect Core 1.0 (errata set 1) 3.1.3.7, steps 4 and
// 5, as rules: an ID token with several audiences must name this client as its authorized
// party (azp), and an azp, when present, must be this client. Otherwise the token was issued
// to another application that merely listed this client among its audiences.
func checkAuthorizedParty(aud []string, azp *string, clientID string) error {
	switch {
	case azp != nil && *azp != clientID:
		return fmt.Errorf("the ID token was issued to another application (azp %q), not client %s: ask your administrator to check the identity provider's application set-up", *azp, clientID)
	case azp == nil && len(aud) > 1:
		return fmt.Errorf("the ID token has several audiences (%s) and no azp naming the application it was issued to: it cannot be trusted as a sign-in for client %s; ask your administrator to check the identity provider's application set-up", strings.Join(aud, ", "), clientID)
	}
	return nil
}

func explainVerify(err error, clientID string) error {
	var expired *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return fmt.Errorf("the identity provider issued an ID token that had already expired at %s: check this computer's clock, then run the command again (%w)", expired.Expiry.Format(time.RFC3339), err)
	case strings.Contains(msg, "audience"):
		return fmt.Errorf("the ID token was issued for another application, not client %s: your config.json does not match the identity provider; ask your administrator for a new package (%w)", clientID, err)
	case strings.Contains(msg, "signature"):
		return fmt.Errorf("the ID token's signature does not match the identity provider's published keys: the token is not trustworthy; try again later, and tell your administrator if it persists (%w)", err)
	case strings.Contains(msg, "issued by a different provider"):
		return fmt.Errorf("the ID token comes from another issuer than the configured one: ask your administrator for a new package (%w)", err)
	}
	return fmt.Errorf("verify the ID token: %w", err)
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
