package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ccwb.dev/client/idptest"
)

// A real browser through the real login page: Debian's chromium, headless, driven by chromedp.
func TestLoginWithChromium(t *testing.T) {
	t.Parallel()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium; .ci/run does): skipping the real-browser test")
	}
	e := newEnv(t)
	e.browser = idptest.BrowserIgnore // chromedp is the browser; the command only prints the URL
	cmd := exec.Command(binary)
	cmd.Env = e.environ()
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stderrText strings.Builder
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(io.TeeReader(stderr, &stderrText))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, e.idp.Issuer+"/authorize?") {
				urls <- line
			}
		}
	}()
	var authURL string
	select {
	case authURL = <-urls:
	case <-time.After(30 * time.Second):
		t.Fatalf("no login URL on stderr:\n%s", stderrText.String())
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("ignore-certificate-errors", true), // the provider's certificate is the test's own
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()
	err = chromedp.Do(ctx,
		chromedp.Navigate(authURL),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), idptest.DefaultUser.Username),
		chromedp.SendKeys(chromedp.ID("password"), idptest.DefaultUser.Password),
		chromedp.Click(chromedp.ID("submit")),
	)
	if err != nil {
		t.Fatalf("drive chromium: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("credential-process: %v\n%s", err, stderrText.String())
	}
	// The callback page has been served; wait until chromium shows it.
	var page string
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(page, "You are signed in") && time.Now().Before(deadline); {
		page, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(page, "You are signed in") {
		t.Errorf("chromium does not show the success page: %q", page)
	}
	e.mustCredentials(result{stdout: stdout.String(), stderr: stderrText.String()})
	if e.idp.Logins.Load() != 1 {
		t.Errorf("logins = %d, want 1", e.idp.Logins.Load())
	}
}
