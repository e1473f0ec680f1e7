package idptest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Platform is what the browser says it runs on: its User-Agent and the platform of its
// User-Agent client hints (navigator.userAgentData.platform).
type Platform struct {
	UserAgent, Hint string
}

// Desktop platforms as Chrome reports them.
var (
	MacOS   = Platform{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "macOS"}
	Windows = Platform{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Windows"}
	Linux   = Platform{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Linux"}
)

// Pretend makes the browser present itself as p from the next navigation on.
func (c *Chromium) Pretend(p Platform) error {
	_, err := chromedp.Call(c.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent:         p.UserAgent,
		UserAgentMetadata: &emulation.UserAgentMetadata{Platform: p.Hint, PlatformVersion: "10.0.0", Architecture: "x86"},
	})
	return err
}

// Open navigates to url and waits for the page's body.
func (c *Chromium) Open(url string) error {
	ctx, cancel := context.WithTimeout(c.ctx, 60*time.Second)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
}

// SubmitLogin fills and submits the provider's login form shown now.
func (c *Chromium) SubmitLogin(u User) error {
	ctx, cancel := context.WithTimeout(c.ctx, 60*time.Second)
	defer cancel()
	return chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), u.Username),
		chromedp.SendKeys(chromedp.ID("password"), u.Password),
		chromedp.Click(chromedp.ID("submit")),
	)
}

// Eval runs a script in the page and returns its result as a string.
func (c *Chromium) Eval(script string) (string, error) {
	return chromedp.Run(c.ctx, chromedp.Evaluate[string](script))
}

// Screenshot is a PNG of the whole page.
func (c *Chromium) Screenshot() ([]byte, error) {
	return chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
}

// Download clicks the element selector names and returns the file the browser saved
// (in dir), once it is complete.
func (c *Chromium) Download(selector, dir string) (string, error) {
	done := make(chan string, 1)
	ctx, cancel := context.WithTimeout(c.ctx, 60*time.Second)
	defer cancel()
	err := chromedp.ListenBrowser(ctx, func(ev any) {
		if p, ok := ev.(*browser.EventDownloadProgress); ok && p.State == browser.DownloadProgressStateCompleted {
			select {
			case done <- p.GUID:
			default:
			}
		}
	})
	if err != nil {
		return "", fmt.Errorf("listen for downloads: %w", err)
	}
	events := true
	_, err = chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events,
	})
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector)))
	}
	if err != nil {
		return "", fmt.Errorf("click %s: %w", selector, err)
	}
	select {
	case guid := <-done:
		path := filepath.Join(dir, guid)
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("the browser finished download %s but saved no file: %w", guid, err)
		}
		return path, nil
	case <-ctx.Done():
		return "", fmt.Errorf("no download finished after clicking %s: %w", selector, ctx.Err())
	}
}
