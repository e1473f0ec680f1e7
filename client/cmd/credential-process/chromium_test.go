package main

import (
	"os/exec"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
)

// A real browser through the real login page: Debian's chromium, headless, driven by chromedp.
func TestLoginWithChromium(t *testing.T) {
	t.Parallel()
	browser := idptest.NewChromium(t)
	e := newEnv(t)
	cmd := exec.Command(binary)
	cmd.Env = e.environ()
	stdout, stderr, err := browser.SignInThrough(cmd, e.idp, e.user)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	// The callback page has been served; chromium shows it.
	if page, err := browser.WaitForText("You are signed in", 20*time.Second); err != nil {
		t.Errorf("%v; the page shows %q", err, page)
	}
	e.mustCredentials(result{stdout: stdout, stderr: stderr})
	if e.idp.Logins.Load() != 1 {
		t.Errorf("logins = %d, want 1", e.idp.Logins.Load())
	}
}
