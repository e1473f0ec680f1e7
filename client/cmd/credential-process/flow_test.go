package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
)

func TestLoginFederatesAndCaches(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.mustCredentials(e.run())
	if got := e.idp.Logins.Load(); got != 1 {
		t.Errorf("logins = %d, want 1", got)
	}
	s, _ := e.aws.Session(c.AccessKeyID)
	if s.RoleSessionName != "00u1a2b3c4" || s.Subject != "00u1a2b3c4" {
		t.Errorf("RoleSessionName = %q, want the verified subject", s.RoleSessionName)
	}
	if s.DurationSeconds != 28800 {
		t.Errorf("DurationSeconds = %d, want 28800 from config", s.DurationSeconds)
	}

	// Second run: from the cache, no login, no STS call.
	again := e.mustCredentials(e.run())
	if again != c {
		t.Errorf("cached run returned other credentials")
	}
	if e.idp.Logins.Load() != 1 || e.aws.Calls("AssumeRoleWithWebIdentity") != 1 {
		t.Errorf("cached run: logins %d, STS calls %d; want 1 and 1", e.idp.Logins.Load(), e.aws.Calls("AssumeRoleWithWebIdentity"))
	}

	// Session files: 0700 directory, 0600 files.
	dir := filepath.Join(e.cache, "ccwb", "test")
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o700 {
		t.Errorf("session dir mode %v, want 0700", info.Mode().Perm())
	}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, _ := d.Info(); fi.Mode().Perm() != 0o600 {
				t.Errorf("%s mode %v, want 0600", path, fi.Mode().Perm())
			}
		}
		return nil
	})
}

// A web page that sends the browser to the callback with another state does not end the
// sign-in: the real redirect after it still signs in.
func TestForgedCallbackDoesNotAbortTheLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.browser = idptest.BrowserForgedFirst
	c := e.mustCredentials(e.run())
	if s, ok := e.aws.Session(c.AccessKeyID); !ok || s.RoleSessionName != "00u1a2b3c4" || e.idp.Logins.Load() != 1 {
		t.Errorf("session %+v (%v), %d logins: want one login for jane", s, ok, e.idp.Logins.Load())
	}
}

func TestSilentRefreshBeforeBrowser(t *testing.T) {
	t.Parallel()
	// ID tokens live 30 s: never reusable from the cache, so every new session refreshes.
	e := newEnv(t, func(o *idptest.Options, _ *config.Profile) { o.IDTokenLifetime = 30 * time.Second })
	e.mustCredentials(e.run())
	if r := e.run("--clear-cache"); r.code != 0 {
		t.Fatalf("clear-cache: %s", r.stderr)
	}
	e.mustFail(e.run("--check-expiration"), 1, "no valid cached credentials")

	// Forget only the credentials: a refresh token is still cached.
	e.mustCredentials(e.run())
	if e.idp.Logins.Load() != 2 {
		t.Fatalf("after --clear-cache a login is expected: logins = %d", e.idp.Logins.Load())
	}
	if err := os.Remove(filepath.Join(e.cache, "ccwb", "test", "credentials.json")); err != nil {
		t.Fatal(err)
	}
	e.browser = idptest.BrowserIgnore // a browser login would now time out
	e.mustCredentials(e.run("--login-timeout=5s"))
	if got := e.idp.Refreshes.Load(); got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}
	if got := e.idp.Logins.Load(); got != 2 {
		t.Errorf("logins = %d, want still 2", got)
	}
}

func TestCognitoFederation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(_ *idptest.Options, p *config.Profile) {
		p.FederationType = federation.Cognito
		p.IdentityPoolID = "us-east-1:00000000-0000-0000-0000-000000000000"
		p.SessionDurationSeconds = 28800
	})
	c := e.mustCredentials(e.run())
	if e.aws.Calls("GetId") != 1 || e.aws.Calls("GetOpenIdToken") != 1 || e.aws.Calls("AssumeRoleWithWebIdentity") != 1 {
		t.Errorf("calls: GetId %d, GetOpenIdToken %d, AssumeRoleWithWebIdentity %d; want 1 each",
			e.aws.Calls("GetId"), e.aws.Calls("GetOpenIdToken"), e.aws.Calls("AssumeRoleWithWebIdentity"))
	}
	s, _ := e.aws.Session(c.AccessKeyID)
	if s.DurationSeconds != 28800 {
		t.Errorf("DurationSeconds = %d, want the configured 8 h", s.DurationSeconds)
	}
}
