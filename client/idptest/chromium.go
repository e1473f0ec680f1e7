package idptest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"ccwb.dev/contract/testenv"
	"github.com/chromedp/chromedp"
)

// Chromium is a headless Chromium (Debian's chromium, driven by chromedp), a real browser
// for the provider's real login page. It closes when the test ends.
type Chromium struct {
	ctx context.Context
}

// NewChromium starts Chromium, or fails (CI=true) or skips the test when it is not installed
// (testenv.Need).
func NewChromium(t testing.TB) *Chromium {
	t.Helper()
	path := testenv.Need(t, "chromium", "apt-get install chromium (.ci/run does)")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("ignore-certificate-errors", true), // the provider's certificate is the test's own
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser on this context: the first action allocates it, and the browser
	// lives as long as the context of that action.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &Chromium{ctx: ctx}
}

// SignIn opens an authorization URL and submits the login form as u.
func (c *Chromium) SignIn(authURL string, u User) error {
	ctx, cancel := context.WithTimeout(c.ctx, 90*time.Second)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(authURL),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), u.Username),
		chromedp.SendKeys(chromedp.ID("password"), u.Password),
		chromedp.Click(chromedp.ID("submit")),
	)
	if err != nil {
		return fmt.Errorf("drive chromium through the login page: %w", err)
	}
	return nil
}

// WaitForText waits until the page shows text and returns the page's text. A navigation
// while it waits (the login redirecting to the callback) restarts the wait on the new page.
func (c *Chromium) WaitForText(text string, timeout time.Duration) (string, error) {
	quoted, _ := json.Marshal(text)
	shown := "document.body !== null && document.body.innerText.includes(" + string(quoted) + ")"
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithDeadline(c.ctx, deadline)
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](shown, chromedp.WithPollingTimeout(time.Until(deadline))))
		cancel()
		if err == nil {
			return chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS("body")))
		}
		if time.Now().After(deadline) || !navigatedAway(err) {
			now, _ := chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS("body")))
			return now, fmt.Errorf("chromium does not show %q: %w", text, err)
		}
	}
}

// navigatedAway tells the errors of a page script whose page was replaced while it ran.
func navigatedAway(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") || strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Inspected target navigated or closed")
}

// SignInThrough runs cmd, a command that signs in at p, with Chromium as the user's
// browser: the command gets the scripted browser in mode BrowserIgnore (it only prints the
// URL it would open), Chromium opens the URL the command prints on stderr and signs in as
// u, and the command runs to its end. It returns the command's stdout and stderr.
func (c *Chromium) SignInThrough(cmd *exec.Cmd, p *Provider, u User) (stdout, stderr string, err error) {
	cmd.Env = append(cmd.Env, p.BrowserEnv(u, BrowserIgnore)...)
	var out, errText bytes.Buffer
	cmd.Stdout = &out
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return "", "", err
	}
	if err := cmd.Start(); err != nil {
		return "", "", err
	}
	urls := p.loginURLs(pipe, &errText)
	var signInErr error
	select {
	case authURL, ok := <-urls:
		if ok {
			signInErr = c.SignIn(authURL, u)
		} else {
			signInErr = errors.New("the command printed no login URL")
		}
	case <-time.After(30 * time.Second):
		signInErr = errors.New("the command printed no login URL in 30 s")
		_ = cmd.Process.Kill()
	}
	for range urls { // to the end of stderr
	}
	werr := cmd.Wait()
	if signInErr == nil && werr != nil {
		signInErr = fmt.Errorf("%s: %w", cmd.Path, werr)
	}
	return out.String(), errText.String(), signInErr
}

// loginURLs reads a command's stderr, copying it to tee, and sends each line that is an
// authorization URL of the provider (the credential process prints the URL it opens). The
// channel closes at the end of stderr.
func (p *Provider) loginURLs(stderr io.Reader, tee io.Writer) <-chan string {
	urls := make(chan string, 4)
	go func() {
		defer close(urls)
		sc := bufio.NewScanner(io.TeeReader(stderr, tee))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, p.Issuer+"/authorize?") {
				select {
				case urls <- line:
				default:
				}
			}
		}
	}()
	return urls
}
