package idptest_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"ccwb.dev/client/idptest"
	"ccwb.dev/client/internal/oidclogin"
	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/provider"
)

func TestMain(m *testing.M) {
	idptest.BrowserMain()
	os.Exit(m.Run())
}

// realToken signs in through the provider's login form and returns its ID token.
func realToken(t *testing.T, idp *idptest.Provider) string {
	t.Helper()
	for _, kv := range idp.BrowserEnv(idptest.DefaultUser, idptest.BrowserLogin) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c := &oidclogin.Client{Issuer: idp.Issuer, ClientID: idp.ClientID, Type: provider.Generic, Port: port,
		Timeout: 30 * time.Second, Stderr: io.Discard, HTTPClient: idp.Client()}
	tok, err := c.SignIn(context.Background(), token.Tokens{})
	if err != nil {
		t.Fatal(err)
	}
	return tok.IDToken
}

// forged signs claims with a key the provider never published.
func forged(t *testing.T, issuer, audience string, exp time.Time) string {
	t.Helper()
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: issuer, Subject: "x", Audience: jwt.Audience{audience}, Expiry: jwt.NewNumericDate(exp)}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func assume(t *testing.T, aws *idptest.AWS, token string) (int, string) {
	t.Helper()
	return assumeAs(t, aws, token, "00u1a2b3c4")
}

func assumeAs(t *testing.T, aws *idptest.AWS, token, sessionName string) (int, string) {
	t.Helper()
	form := url.Values{"Action": {"AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"},
		"RoleArn": {"arn:aws:iam::123456789012:role/BedrockUsers"}, "RoleSessionName": {sessionName}, "WebIdentityToken": {token}}
	resp, err := http.PostForm(aws.URL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The fake STS checks a web identity token as AWS does; Sequential: the browser is in the env.
func TestFakeSTSVerifiesTokens(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{})
	aws := idptest.NewAWS(t, idptest.AWSOptions{Provider: idp})
	good := realToken(t, idp)
	tests := []struct {
		name, token, wantCode string
	}{
		{"the provider's token", good, ""},
		{"signed by another key", forged(t, idp.Issuer, idp.ClientID, time.Now().Add(time.Hour)), "InvalidIdentityToken"},
		{"not a JWT", "garbage", "InvalidIdentityToken"},
		{"tampered payload", good[:strings.Index(good, ".")+5] + "A" + good[strings.Index(good, ".")+6:], "InvalidIdentityToken"},
	}
	for _, tt := range tests {
		status, body := assume(t, aws, tt.token)
		if tt.wantCode == "" {
			if status != 200 || !strings.Contains(body, "<AccessKeyId>ASIA") {
				t.Errorf("%s: status %d body %s", tt.name, status, body)
			}
			continue
		}
		if status != 400 || !strings.Contains(body, "<Code>"+tt.wantCode+"</Code>") {
			t.Errorf("%s: status %d, want 400 %s; body %s", tt.name, status, tt.wantCode, body)
		}
	}
	if got := aws.Calls("AssumeRoleWithWebIdentity"); got != len(tests) {
		t.Errorf("calls = %d, want %d", got, len(tests))
	}
	// ccwb's trust policy: the session name must be the token's subject.
	if status, body := assumeAs(t, aws, good, "jane.doe@example.com"); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Errorf("a session name other than the subject: status %d, want 403 AccessDenied; body %s", status, body)
	}
	lenient := idptest.NewAWS(t, idptest.AWSOptions{Provider: idp, AnySessionName: true})
	if status, body := assumeAs(t, lenient, good, "jane.doe@example.com"); status != 200 {
		t.Errorf("AnySessionName: status %d body %s", status, body)
	}
}

// An ID token is accepted until it expires, then refused as STS refuses it; the fake's
// clock moves past the expiry instead of the test waiting for it.
func TestFakeSTSRejectsExpiredTokens(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{IDTokenLifetime: time.Hour})
	var ahead atomic.Int64 // how far the fake's clock runs ahead of the real one
	aws := idptest.NewAWS(t, idptest.AWSOptions{Provider: idp, Now: func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }})
	tok := realToken(t, idp)
	if status, body := assume(t, aws, tok); status != 200 {
		t.Fatalf("a fresh token: status %d body %s", status, body)
	}
	ahead.Store(int64(time.Hour + time.Minute))
	status, body := assume(t, aws, tok)
	if status != 400 || !strings.Contains(body, "<Code>ExpiredTokenException</Code>") {
		t.Errorf("expired token: status %d body %s", status, body)
	}
}

// The telemetry access token is signed by the same provider but issued for another audience:
// the fake STS, like AWS, refuses it, and accepts the ID token of the same sign-in.
func TestFakeSTSRefusesTheTelemetryToken(t *testing.T) {
	idp := idptest.NewProvider(t, idptest.Options{TelemetryAudience: "api://ccwb-telemetry"})
	aws := idptest.NewAWS(t, idptest.AWSOptions{Provider: idp})
	for _, kv := range idp.BrowserEnv(idptest.DefaultUser, idptest.BrowserLogin) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	c := &oidclogin.Client{Issuer: idp.Issuer, ClientID: idp.ClientID, Type: provider.Generic, Port: idptest.FreePort(t),
		Timeout: 30 * time.Second, Stderr: io.Discard, HTTPClient: idp.Client(), TelemetryAudience: "api://ccwb-telemetry"}
	tok, err := c.SignIn(context.Background(), token.Tokens{})
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("sign-in: %+v, %v", tok, err)
	}
	if status, body := assume(t, aws, tok.AccessToken); status != 400 || !strings.Contains(body, "<Code>InvalidIdentityToken</Code>") || !strings.Contains(body, "audience") {
		t.Errorf("telemetry token: status %d body %s; want InvalidIdentityToken for its audience", status, body)
	}
	if status, body := assume(t, aws, tok.IDToken); status != 200 {
		t.Errorf("ID token of the same sign-in: status %d body %s", status, body)
	}
}
