package oidclogin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"ccwb.dev/client/internal/login"
	"ccwb.dev/client/internal/token"
)

// DeviceLogin signs in with the device authorization grant (RFC 8628): it asks the
// provider's device authorization endpoint for a code, prints the URL and the code, and
// polls the token endpoint as x/oauth2 does (at the provider's interval, 5 s more after each
// slow_down) until the user approves on any device, denies, or the code expires. The ID
// token gets the same checks as the browser flow's (signature, issuer, audience, azp,
// expiry); the grant has no nonce.
func (c *Client) DeviceLogin(ctx context.Context) (token.Tokens, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return token.Tokens{}, err
	}
	cfg := c.config(p, "")
	if cfg.Endpoint.DeviceAuthURL == "" {
		return token.Tokens{}, fmt.Errorf("the identity provider at %s offers no device sign-in (its discovery document has no device_authorization_endpoint): run with --login browser, or ask your administrator to enable the device authorization grant for the application", c.Issuer)
	}
	da, err := cfg.DeviceAuth(c.ctx(ctx), c.authOptions()...)
	if err != nil {
		return token.Tokens{}, explainDeviceStart(err)
	}
	login.DevicePrompt(c.prompt(), da.VerificationURI, da.VerificationURIComplete, da.UserCode, min(time.Until(da.Expiry), c.timeout()))
	waitCtx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	tok, err := cfg.DeviceAccessToken(c.ctx(waitCtx), da)
	if err != nil {
		return token.Tokens{}, explainDeviceWait(ctx, err, c.timeout())
	}
	return c.tokens(ctx, tok, "", "")
}

func explainDeviceStart(err error) error {
	var rerr *oauth2.RetrieveError
	if errors.As(err, &rerr) && (rerr.ErrorCode == "unauthorized_client" || rerr.ErrorCode == "invalid_client" || rerr.ErrorCode == "invalid_grant") {
		return fmt.Errorf("the identity provider does not allow device sign-in for this application (%s): run with --login browser, or ask your administrator to enable the device authorization grant for it", rerr.ErrorCode)
	}
	return fmt.Errorf("start the device sign-in: %w", err)
}

// explainDeviceWait turns the end of the polling into what the user should do.
func explainDeviceWait(ctx context.Context, err error, timeout time.Duration) error {
	var rerr *oauth2.RetrieveError
	switch {
	case errors.As(err, &rerr) && rerr.ErrorCode == "access_denied":
		return errors.New("the sign-in was declined on the identity provider's page: run the command again and choose to allow it, or ask your administrator to assign you to the Claude Code application")
	case errors.As(err, &rerr) && rerr.ErrorCode == "expired_token",
		errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return fmt.Errorf("%w: the code expired before it was entered (or %s passed); run the command again and enter the new code", ErrLoginTimeout, timeout)
	case ctx.Err() != nil:
		return fmt.Errorf("sign-in cancelled: %w", ctx.Err())
	}
	return fmt.Errorf("wait for the device sign-in: %w", err)
}
