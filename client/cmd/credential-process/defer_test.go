package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/signin"
)

// With CCWB_SIGN_IN=defer (the package's Claude Code settings) the credential process never
// signs in where nobody sees it: without cached credentials or a working refresh token it
// fails at once, naming the command that signs in, and starts no browser and no device code.
func TestDeferredSignInFailsAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.browser = idptest.BrowserLogin
	e.extra = append(e.extra, signin.EnvSignIn+"="+signin.Defer)
	start := time.Now()
	r := e.run()
	e.mustFail(r, 1, "sign-in needed: Claude Code signs you in by running `credential-process --profile test --refresh-if-needed`")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s to refuse", took)
	}
	if e.idp.Logins.Load() != 0 || e.idp.Device.Authorizations.Load() != 0 {
		t.Errorf("a sign-in started: %d browser, %d device", e.idp.Logins.Load(), e.idp.Device.Authorizations.Load())
	}
}

// A deferred run still renews silently with the cached refresh token, and refuses once the
// identity provider has ended the session.
func TestDeferredSignInRefreshesSilently(t *testing.T) {
	t.Parallel()
	// ID tokens live 30 s: never reusable from the cache, so every new session refreshes.
	e := newEnv(t, func(o *idptest.Options, _ *config.Profile) { o.IDTokenLifetime = 30 * time.Second })
	e.mustCredentials(e.run()) // signed in once, in a terminal
	e.dropCredentials()
	e.extra = append(e.extra, signin.EnvSignIn+"="+signin.Defer)
	e.mustCredentials(e.run())
	if e.idp.Logins.Load() != 1 || e.idp.Refreshes.Load() != 1 {
		t.Errorf("logins %d, refreshes %d; want the terminal sign-in and one silent refresh", e.idp.Logins.Load(), e.idp.Refreshes.Load())
	}
	e.idp.RevokeRefreshTokens()
	e.dropCredentials()
	r := e.run()
	e.mustFail(r, 1, "your session ended")
	if !strings.Contains(r.stderr, signin.RefreshFlag) || e.idp.Logins.Load() != 1 {
		t.Errorf("the refusal signed in, or does not name the command that does: %s", r.stderr)
	}
}

// dropCredentials forgets the cached AWS credentials and keeps the tokens.
func (e *env) dropCredentials() {
	e.t.Helper()
	if err := os.Remove(filepath.Join(e.cache, "ccwb", "test", "credentials.json")); err != nil {
		e.t.Fatal(err)
	}
}
