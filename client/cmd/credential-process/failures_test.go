package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
)

// Each failure a user can meet: its exit code, a message that names it, and empty stdout.
func TestFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []envOption
		setup   func(t *testing.T, e *env)
		args    []string
		code    int
		message string
	}{
		{name: "only an answer with another state", setup: func(_ *testing.T, e *env) { e.browser = idptest.BrowserWrongState },
			args: []string{"--login-timeout=2s"}, code: 1, message: "login timed out after 2s"},
		{name: "IdP denies access", setup: func(_ *testing.T, e *env) { e.browser = idptest.BrowserDeny },
			code: 1, message: "the identity provider refused the login: access_denied (The user denied the request); ask your administrator"},
		{name: "login timeout", setup: func(_ *testing.T, e *env) { e.browser = idptest.BrowserIgnore },
			args: []string{"--login-timeout=1s"}, code: 1, message: "login timed out after 1s"},
		{name: "callback port taken", setup: func(t *testing.T, e *env) {
			ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(e.profile.CallbackPort))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
		}, code: 1, message: "port " + "%PORT%" + " on 127.0.0.1 is in use by another program"},
		{name: "IdP unreachable", setup: func(_ *testing.T, e *env) { e.idp.Close() },
			code: 1, message: "cannot reach the identity provider"},
		{name: "IAM trusts another audience", setup: func(t *testing.T, e *env) {
			e.aws = idptest.NewAWS(t, idptest.AWSOptions{Provider: e.idp, Audiences: []string{"another-app"}})
		}, code: 1, message: "AWS did not accept your identity token (InvalidIdentityToken: Incorrect token audience)"},
		{name: "bad signature", setup: func(t *testing.T, e *env) { e.idp.PublishWrongKey(t) },
			code: 1, message: "signature does not match the identity provider's published keys"},
		{name: "expired ID token", opts: []envOption{func(o *idptest.Options, _ *config.Profile) { o.IDTokenLifetime = -10 * time.Minute }},
			code: 1, message: "had already expired"},
		{name: "STS InvalidIdentityToken", setup: func(_ *testing.T, e *env) {
			e.aws.Inject(idptest.Fault{Action: "AssumeRoleWithWebIdentity", Code: "InvalidIdentityToken", Message: "Incorrect token audience"})
		}, code: 1, message: "AWS did not accept your identity token (InvalidIdentityToken: Incorrect token audience)"},
		{name: "STS AccessDenied", setup: func(_ *testing.T, e *env) {
			e.aws.Inject(idptest.Fault{Action: "AssumeRoleWithWebIdentity", Code: "AccessDenied", Status: http.StatusForbidden, Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity"})
		}, code: 1, message: "AWS denied access to arn:aws:iam::123456789012:role/BedrockUsers (AccessDenied"},
		{name: "STS throttling persists", setup: func(_ *testing.T, e *env) {
			e.aws.Inject(idptest.Fault{Action: "AssumeRoleWithWebIdentity", Code: "Throttling", Message: "Rate exceeded", Times: 10})
		}, code: 1, message: "is throttling requests (Throttling after 5 attempts)"},
		{name: "malformed config", setup: func(_ *testing.T, e *env) { e.writeRawConfig([]byte(`{"profiles": {`)) },
			code: 2, message: "parse config"},
		{name: "unknown config field", setup: func(_ *testing.T, e *env) {
			e.writeRawConfig([]byte(`{"profiles": {"test": {"issuer": "https://x", "colour": "red"}}}`))
		}, code: 2, message: `unknown field "colour"`},
		{name: "missing config fields", setup: func(_ *testing.T, e *env) {
			e.writeRawConfig([]byte(`{"profiles": {"test": {"issuer": "https://x"}}}`))
		}, code: 2, message: "profiles.test.client_id: missing"},
		{name: "no config", setup: func(t *testing.T, e *env) {
			if err := os.RemoveAll(filepath.Join(e.home, "claude-code-with-bedrock")); err != nil {
				t.Fatal(err)
			}
		}, code: 2, message: "no config.json found"},
		{name: "unknown profile", args: []string{"--profile", "prod"}, code: 2, message: `profile "prod" not found in config; known profiles: test`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tt.opts...)
			if tt.setup != nil {
				tt.setup(t, e)
			}
			msg := strings.ReplaceAll(tt.message, "%PORT%", strconv.Itoa(e.profile.CallbackPort))
			e.mustFail(e.run(tt.args...), tt.code, msg)
		})
	}
}

func TestStaleTokenRejectedIsClearedAndReplaced(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustCredentials(e.run())
	if err := os.Remove(filepath.Join(e.cache, "ccwb", "test", "credentials.json")); err != nil {
		t.Fatal(err)
	}
	// AWS rejects the cached ID token once: it is dropped and a refreshed one is used.
	e.aws.Inject(idptest.Fault{Action: "AssumeRoleWithWebIdentity", Code: "ExpiredTokenException", Message: "Token expired"})
	r := e.run()
	e.mustCredentials(r)
	if !strings.Contains(r.stderr, "AWS rejected the cached identity token (ExpiredTokenException)") {
		t.Errorf("stderr lacks the rejection note:\n%s", r.stderr)
	}
	if e.idp.Refreshes.Load() != 1 || e.idp.Logins.Load() != 1 {
		t.Errorf("refreshes %d, logins %d; want 1 and 1", e.idp.Refreshes.Load(), e.idp.Logins.Load())
	}
}

// A rejected token or a refused role leaves no ID token cached, and a fresh login that AWS
// rejects is not retried with another browser window.
func TestRejectionClearsTheCachedIDToken(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"InvalidIdentityToken", "AccessDenied"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.aws.Inject(idptest.Fault{Action: "AssumeRoleWithWebIdentity", Code: code, Times: 5})
			e.mustFail(e.run(), 1, code)
			if e.idp.Logins.Load() != 1 || e.aws.Calls("AssumeRoleWithWebIdentity") != 1 {
				t.Errorf("logins %d, STS calls %d; want 1 and 1", e.idp.Logins.Load(), e.aws.Calls("AssumeRoleWithWebIdentity"))
			}
			b, err := os.ReadFile(filepath.Join(e.cache, "ccwb", "test", "tokens.json"))
			if err != nil || strings.Contains(string(b), "id_token") || !strings.Contains(string(b), "refresh_token") {
				t.Errorf("tokens after the rejection: %s %v; want only the refresh token", b, err)
			}
		})
	}
}

func TestRetriesThrottlingAndServerErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.aws.Inject(idptest.Fault{Action: "AssumeRoleWithWebIdentity", Code: "Throttling", Times: 2})
	e.aws.Inject(idptest.Fault{Action: "AssumeRoleWithWebIdentity", Code: "InternalFailure", Status: http.StatusInternalServerError, Times: 1})
	e.mustCredentials(e.run())
	if got := e.aws.Calls("AssumeRoleWithWebIdentity"); got != 4 {
		t.Errorf("STS calls = %d, want 4 (2 throttled, 1 server error, 1 success)", got)
	}
}

func TestCorruptCacheIsDiscarded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := filepath.Join(e.cache, "ccwb", "test")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"credentials.json", "tokens.json"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(`{"access_key_id": "AKIA`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := e.run()
	e.mustCredentials(r)
	for _, want := range []string{"cached credentials was corrupt", "cached tokens was corrupt"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if e.idp.Logins.Load() != 1 {
		t.Errorf("logins = %d, want 1 (the corrupt cache is not trusted)", e.idp.Logins.Load())
	}
}
