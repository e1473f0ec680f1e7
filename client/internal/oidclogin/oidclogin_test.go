package oidclogin

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/provider"
)

func TestMain(m *testing.M) {
	idptest.BrowserMain()
	os.Exit(m.Run())
}

// login signs in through the scripted browser (this test binary as $BROWSER).
func login(t *testing.T, idp *idptest.Provider) (*Client, cache.Tokens) {
	t.Helper()
	for _, kv := range idp.BrowserEnv(idptest.DefaultUser, idptest.BrowserLogin) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	c := &Client{Issuer: idp.Issuer, ClientID: idp.ClientID, Type: provider.Generic, Port: idptest.FreePort(t),
		Timeout: 30 * time.Second, Stderr: io.Discard, HTTPClient: idp.Client()}
	tok, err := c.Tokens(context.Background(), cache.Tokens{})
	if err != nil {
		t.Fatal(err)
	}
	return c, tok
}

// Not parallel: the scripted browser is configured through the environment.
func TestLoginVerifiesAndRefreshes(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{})
	c, tok := login(t, idp)
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

	refreshed, err := c.Tokens(context.Background(), cache.Tokens{RefreshToken: tok.RefreshToken})
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
	_, tok := login(t, idp)
	other := &Client{Issuer: idp.Issuer, ClientID: "another-app", Type: provider.Generic, Stderr: io.Discard, HTTPClient: idp.Client()}
	_, err := other.Verify(context.Background(), tok.IDToken)
	if err == nil || !strings.Contains(err.Error(), "the ID token was issued for another application, not client another-app") {
		t.Fatalf("Verify = %v, want an audience error", err)
	}
}

func TestRevokedRefreshFallsBackToBrowser(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{})
	c, tok := login(t, idp)
	idp.RevokeRefreshTokens()
	var stderr strings.Builder
	c.Stderr = &stderr
	if _, err := c.Tokens(context.Background(), cache.Tokens{RefreshToken: tok.RefreshToken}); err != nil {
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
