package oidclogin

import (
	"context"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/provider"
)

func TestMain(m *testing.M) {
	idptest.BrowserMain()
	os.Exit(m.Run())
}

// browserLogin signs in through the scripted browser (this test binary as $BROWSER).
func browserLogin(t *testing.T, idp *idptest.Provider) (*Client, token.Tokens) {
	t.Helper()
	for _, kv := range idp.BrowserEnv(idptest.DefaultUser, idptest.BrowserLogin) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	c := &Client{Issuer: idp.Issuer, ClientID: idp.ClientID, Type: provider.Generic, Port: idptest.FreePort(t),
		Timeout: 30 * time.Second, Stderr: io.Discard, HTTPClient: idp.Client()}
	tok, err := c.SignIn(context.Background(), token.Tokens{})
	if err != nil {
		t.Fatal(err)
	}
	return c, tok
}

// Not parallel: the scripted browser is configured through the environment.
func TestLoginVerifiesAndRefreshes(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{})
	c, tok := browserLogin(t, idp)
	if tok.IDToken == "" || tok.RefreshToken == "" || !tok.IDExpiry.After(time.Now()) {
		t.Fatalf("login tokens incomplete: %+v", tok)
	}
	cl, err := claims.Parse(tok.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if cl.String("email") != idptest.DefaultUser.Email || cl.String("name") != idptest.DefaultUser.Name || cl.String("department") != "engineering" {
		t.Errorf("claims lack email, name or department: %v", cl)
	}

	refreshed, err := c.SignIn(context.Background(), token.Tokens{RefreshToken: tok.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	if refreshed.IDToken == tok.IDToken || refreshed.RefreshToken == "" {
		t.Errorf("refresh returned no new tokens")
	}
	if idp.Logins.Load() != 1 || idp.Refreshes.Load() != 1 {
		t.Errorf("logins %d refreshes %d, want 1 and 1", idp.Logins.Load(), idp.Refreshes.Load())
	}
}

func TestVerifyRejectsAnotherAudience(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{})
	_, tok := browserLogin(t, idp)
	other := &Client{Issuer: idp.Issuer, ClientID: "another-app", Type: provider.Generic, Stderr: io.Discard, HTTPClient: idp.Client()}
	_, err := other.Verify(context.Background(), tok.IDToken)
	if err == nil || !strings.Contains(err.Error(), "the ID token was issued for another application, not client another-app") {
		t.Fatalf("Verify = %v, want an audience error", err)
	}
}

func TestRevokedRefreshFallsBackToBrowser(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{})
	c, tok := browserLogin(t, idp)
	idp.RevokeRefreshTokens()
	var stderr strings.Builder
	c.Stderr = &stderr
	if _, err := c.SignIn(context.Background(), token.Tokens{RefreshToken: tok.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if idp.Logins.Load() != 2 || !strings.Contains(stderr.String(), "your session ended") {
		t.Errorf("logins %d, stderr %q: want a second login after the refresh was refused", idp.Logins.Load(), stderr.String())
	}
}

func TestCheckAuthorizedParty(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name    string
		aud     []string
		azp     *string
		wantErr string
	}{
		{"one audience, no azp", []string{"me"}, nil, ""},
		{"one audience, azp is this client", []string{"me"}, str("me"), ""},
		{"one audience, azp is another client", []string{"me"}, str("other"), `azp "other"`},
		{"several audiences, azp is this client", []string{"me", "api://x"}, str("me"), ""},
		{"several audiences, no azp", []string{"me", "api://x"}, nil, "several audiences (me, api://x) and no azp"},
		{"several audiences, azp is another client", []string{"other", "me"}, str("other"), `azp "other"`},
		{"several audiences, empty azp", []string{"me", "x"}, str(""), `azp ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkAuthorizedParty(tc.aud, tc.azp, "me")
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// With a telemetry audience the sign-in asks for the telemetry scope and caches the access
// token of that audience beside the ID token; a refresh renews both. Without the scope the
// identity provider issues no such token, and the sign-in still stands (Bedrock needs none).
func TestTelemetryToken(t *testing.T) {
	const aud, scope = "api://ccwb-telemetry", "ccwb.telemetry"
	idp := idptest.NewProvider(t, idptest.Options{TelemetryAudience: aud, TelemetryScope: scope})
	for _, kv := range idp.BrowserEnv(idptest.DefaultUser, idptest.BrowserLogin) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	var stderr strings.Builder
	c := &Client{Issuer: idp.Issuer, ClientID: idp.ClientID, Type: provider.Generic, Port: idptest.FreePort(t),
		Timeout: 30 * time.Second, Stderr: &stderr, HTTPClient: idp.Client(), TelemetryAudience: aud, TelemetryScope: scope}
	tok, err := c.SignIn(context.Background(), token.Tokens{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, tok token.Tokens) {
		t.Helper()
		at, err := claims.Parse(tok.AccessToken)
		if err != nil || !slices.Equal(at.Audience(), []string{aud}) || at.String("sub") != idptest.DefaultUser.Subject {
			t.Fatalf("%s: access token %q (%v), want a JWT for %s about the user", what, tok.AccessToken, err, aud)
		}
		if !tok.AccessExpiry.After(time.Now()) || tok.IDToken == "" {
			t.Fatalf("%s: tokens %+v", what, tok)
		}
		if _, err := c.Verify(context.Background(), tok.IDToken); err != nil {
			t.Fatalf("%s: ID token no longer verifies: %v", what, err)
		}
	}
	check("login", tok)
	refreshed, err := c.SignIn(context.Background(), token.Tokens{RefreshToken: tok.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	check("refresh", refreshed)
	if refreshed.AccessToken == tok.AccessToken {
		t.Error("the refresh kept the old access token")
	}

	noScope := &Client{Issuer: idp.Issuer, ClientID: idp.ClientID, Type: provider.Generic, Port: c.Port,
		Timeout: 30 * time.Second, Stderr: &stderr, HTTPClient: idp.Client(), TelemetryAudience: aud}
	stderr.Reset()
	got, err := noScope.SignIn(context.Background(), token.Tokens{})
	if err != nil || got.IDToken == "" || got.AccessToken != "" || !strings.Contains(stderr.String(), "no telemetry token") {
		t.Fatalf("without the scope: %+v, %v, stderr %q; want the sign-in without a telemetry token, and a warning", got, err, stderr.String())
	}
}

// Tokens signed by the provider itself that fail OpenID Connect Core 3.1.3.7 steps 4 and 5.
func TestVerifyChecksTheAuthorizedParty(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{})
	c := &Client{Issuer: idp.Issuer, ClientID: idp.ClientID, Type: provider.Generic, Stderr: io.Discard, HTTPClient: idp.Client()}
	token := func(claims map[string]any) string {
		base := map[string]any{"iss": idp.Issuer, "sub": "s", "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}
		maps.Copy(base, claims)
		return idp.Sign(t, base)
	}
	for _, tc := range []struct {
		name    string
		claims  map[string]any
		wantErr string
	}{
		{"single audience", map[string]any{"aud": idp.ClientID}, ""},
		{"several audiences, azp this client", map[string]any{"aud": []string{idp.ClientID, "api://x"}, "azp": idp.ClientID}, ""},
		{"several audiences, no azp", map[string]any{"aud": []string{"api://x", idp.ClientID}}, "no azp"},
		{"issued to another application", map[string]any{"aud": []string{"other-app", idp.ClientID}, "azp": "other-app"}, `azp "other-app"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Verify(context.Background(), token(tc.claims))
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Verify = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
