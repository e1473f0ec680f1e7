// Package cli holds the credential process's commands: each takes an assembled profile and
// writes its product to stdout and everything else to stderr, returning the exit code.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/profile"
	"ccwb.dev/client/internal/token"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1 // login, federation or storage failed; --check-expiration: not valid
	ExitUsage   = 2 // bad flags or config
)

// output is the credential_process format the AWS SDKs read.
type output struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
}

// WriteCredentials writes the credential_process JSON.
func WriteCredentials(w io.Writer, c aws.Credentials) error {
	return json.NewEncoder(w).Encode(output{
		Version: 1, AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
		SessionToken: c.SessionToken, Expiration: c.Expires.UTC().Format(time.RFC3339),
	})
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "ccwb: %v\n", err)
	return ExitFailure
}

// Credentials prints valid credentials, logging in when it must.
func Credentials(ctx context.Context, p *profile.Profile, stdout, stderr io.Writer) int {
	creds, err := p.Credentials.Retrieve(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	if err := WriteCredentials(stdout, creds); err != nil {
		return fail(stderr, fmt.Errorf("write credentials: %w", err))
	}
	return ExitOK
}

// CheckExpiration exits 0 when cached credentials are valid (no network), 1 otherwise.
func CheckExpiration(p *profile.Profile, stderr io.Writer) int {
	c, ok := p.Session.Credentials()
	if !ok {
		fmt.Fprintf(stderr, "ccwb: profile %s has no valid cached credentials\n", p.Name)
		return ExitFailure
	}
	fmt.Fprintf(stderr, "ccwb: profile %s credentials valid until %s\n", p.Name, c.Expires.UTC().Format(time.RFC3339))
	return ExitOK
}

// RefreshIfNeeded makes sure valid credentials are cached, signing in when needed (Claude
// Code's awsAuthRefresh runs it): the sign-in prompts and a last status line go to stdout,
// which Claude Code shows; errors go to stderr in one line. command is how the user runs it
// in a terminal when the sign-in did not finish in time.
func RefreshIfNeeded(ctx context.Context, p *profile.Profile, command string, stdout, stderr io.Writer) int {
	c, err := p.Credentials.Retrieve(ctx)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("the sign-in did not finish in time: run `%s` in a terminal", command)
		}
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "ccwb: signed in (profile %s); credentials valid until %s\n", p.Name, c.Expires.Local().Format("15:04 MST"))
	return ExitOK
}

// MonitoringToken prints the otel-helper's bearer token: the telemetry access token when the
// profile has a telemetry audience (never the ID token then), else the ID token.
func MonitoringToken(ctx context.Context, p *profile.Profile, stdout, stderr io.Writer) int {
	if p.Login == nil {
		return fail(stderr, noIDToken(p))
	}
	need := token.ForCollector(p.Config.TelemetryAudience)
	t, err := p.Tokens(need).Token(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	if need == token.TelemetryToken && (t.AccessToken == "" || !t.AccessExpiry.After(time.Now())) {
		return fail(stderr, fmt.Errorf("the identity provider gave no access token for the telemetry audience %s: ask your administrator to check identity_provider.telemetry_audience and telemetry_scope against the identity provider's set-up", p.Config.TelemetryAudience))
	}
	fmt.Fprintln(stdout, t.Bearer(need))
	return ExitOK
}

// ShowClaims prints the verified claims of a valid ID token.
func ShowClaims(ctx context.Context, p *profile.Profile, stdout, stderr io.Writer) int {
	if p.Login == nil {
		return fail(stderr, noIDToken(p))
	}
	t, err := p.Tokens(token.IDToken).Token(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	if _, err := p.Login.Verify(ctx, t.IDToken); err != nil {
		return fail(stderr, err)
	}
	c, err := claims.Parse(t.IDToken)
	if err != nil {
		return fail(stderr, err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return fail(stderr, err)
	}
	return ExitOK
}

// ClearCache removes the profile's cached credentials and tokens.
func ClearCache(p *profile.Profile, stderr io.Writer) int {
	if err := p.Session.Clear(); err != nil {
		return fail(stderr, fmt.Errorf("clear the cache of profile %s: %w", p.Name, err))
	}
	fmt.Fprintf(stderr, "ccwb: cleared cached credentials and tokens of profile %s (%s)\n", p.Name, p.Session.Store.Describe())
	return ExitOK
}

// Explain prints the configuration, storage and cache state, without touching the network.
func Explain(p *profile.Profile, configPath string, stdout io.Writer) int {
	c := p.Config
	row := func(k, v string) { fmt.Fprintf(stdout, "%-22s %s\n", k+":", v) }
	row("config file", configPath)
	row("profile", p.Name)
	if c.IdentityCenter != nil {
		explainIdentityCenter(p, row)
		return ExitOK
	}
	row("identity provider", c.ProviderType+" "+c.Issuer)
	row("client id", c.ClientID)
	row("federation", c.FederationType)
	row("role", c.RoleARN)
	if c.IdentityPoolID != "" {
		row("identity pool", c.IdentityPoolID)
	}
	row("region", c.Region)
	row("session duration", (time.Duration(c.SessionDurationSeconds) * time.Second).String())
	row("callback", fmt.Sprintf("http://localhost:%d/callback (listens on 127.0.0.1)", c.Port()))
	explainCredentials(p, row)
	t, ok := p.Session.Tokens()
	_, stale := p.Session.FreshTokens(token.IDToken)
	switch {
	case !ok:
		row("login", "none cached (next use opens the browser)")
	case stale == nil:
		row("login", "ID token valid until "+t.IDExpiry.UTC().Format(time.RFC3339)+refreshNote(t.RefreshToken))
	default:
		row("login", "no ID token valid beyond the "+cache.ExpiryWindow.String()+" expiry window"+refreshNote(t.RefreshToken))
	}
	if c.OTelEndpoint != "" {
		row("monitoring endpoint", c.OTelEndpoint)
	}
	if c.TelemetryAudience != "" {
		state := "none cached"
		if ok && t.AccessToken != "" {
			state = "cached, valid until " + t.AccessExpiry.UTC().Format(time.RFC3339)
		}
		row("telemetry token", "audience "+c.TelemetryAudience+"; "+state)
	}
	return ExitOK
}

// explainCredentials prints the storage, the lock and the cached AWS credentials.
func explainCredentials(p *profile.Profile, row func(k, v string)) {
	row("storage", p.Session.Store.Describe())
	row("lock file", string(p.Lock))
	if cr, ok := p.Session.Credentials(); ok {
		row("aws credentials", "valid until "+cr.Expires.UTC().Format(time.RFC3339))
	} else {
		row("aws credentials", "none cached (next use signs in or refreshes)")
	}
}

// refreshNote says whether a refresh token is cached: the ID token's, or the SSO token's.
func refreshNote(refreshToken string) string {
	if refreshToken != "" {
		return "; refresh token cached (silent renewal)"
	}
	return "; no refresh token"
}
