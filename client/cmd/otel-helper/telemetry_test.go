package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/schema"
)

// telemetryAudience is the API the test provider issues telemetry access tokens for.
const telemetryAudience, telemetryScope = "api://ccwb-telemetry", "ccwb.telemetry"

// telemetryUser has a profile with a telemetry audience, at a provider that issues it.
func telemetryUser(t testing.TB) *user {
	u := newUser(t, idptest.DefaultUser, idptest.Options{TelemetryAudience: telemetryAudience, TelemetryScope: telemetryScope},
		func(p *config.Profile) { p.TelemetryAudience, p.TelemetryScope = telemetryAudience, telemetryScope })
	u.telemetry = true
	return u
}

// With a telemetry audience the bearer is the access token of that audience, never the ID
// token; the identity headers still come from the ID token; the cache serves it; an expired
// one is renewed through the credential process's refresh.
func TestTelemetryAudienceReplacesTheIDToken(t *testing.T) {
	t.Parallel()
	u := telemetryUser(t)
	h, stderr := u.helper()
	tok, c := bearerOf(t, h)
	if !slices.Equal(c.Audience(), []string{telemetryAudience}) {
		t.Fatalf("bearer is for %v, want only %s (stderr: %s)", c.Audience(), telemetryAudience, stderr)
	}
	cached, ok := u.session().Tokens()
	if !ok || tok == cached.IDToken || tok != cached.AccessToken {
		t.Fatalf("bearer is not the cached telemetry token (ID token sent: %v)", tok == cached.IDToken)
	}
	if h["x-user-email"] != idptest.DefaultUser.Email || h["x-user-id"] != schema.StableID(idptest.DefaultUser.Subject) {
		t.Errorf("identity headers %v do not come from the ID token", h)
	}

	h2, stderr := u.helper("--credential-process", filepath.Join(t.TempDir(), "missing"))
	if tok2, _ := bearerOf(t, h2); tok2 != tok {
		t.Errorf("second call did not reuse the cached telemetry token (stderr: %s)", stderr)
	}

	cached.AccessExpiry = time.Now().Add(-time.Minute)
	if err := u.session().SaveTokens(cached); err != nil {
		t.Fatal(err)
	}
	h3, stderr := u.helper()
	tok3, c3 := bearerOf(t, h3)
	if tok3 == tok || !slices.Equal(c3.Audience(), []string{telemetryAudience}) {
		t.Fatalf("expired telemetry token not renewed (stderr: %s)", stderr)
	}
	if u.idp.Logins.Load() != 1 || u.idp.Refreshes.Load() != 1 {
		t.Errorf("%d logins, %d refreshes: want the renewal by refresh", u.idp.Logins.Load(), u.idp.Refreshes.Load())
	}
}

// A provider that does not issue the telemetry token (the scope is not granted) leaves the
// helper with nothing to send: "{}", never the ID token.
func TestTelemetryAudienceWithoutTokenSendsNothing(t *testing.T) {
	t.Parallel()
	u := newUser(t, idptest.DefaultUser, idptest.Options{},
		func(p *config.Profile) { p.TelemetryAudience, p.TelemetryScope = telemetryAudience, "" })
	h, stderr := u.helper()
	if len(h) != 0 || !strings.Contains(stderr, "no access token for the telemetry audience api://ccwb-telemetry") {
		t.Fatalf("headers %v, stderr %q; want {} and the reason", h, stderr)
	}
}
