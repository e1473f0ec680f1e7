package idptest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// Browser behaviours for the scripted browser.
const (
	BrowserLogin      = "login"       // log in with the user and password (default)
	BrowserDeny       = "deny"        // come back to the callback with error=access_denied
	BrowserWrongState = "wrong-state" // log in, then call back with another state only
	// BrowserForgedFirst logs in, calls back with another state (as any web page can), then
	// follows the real redirect.
	BrowserForgedFirst = "forged-first"
	BrowserIgnore      = "ignore" // do nothing (the user closed the tab)
)

// Environment of the scripted browser (see BrowserMain).
const (
	envBrowser  = "IDPTEST_BROWSER"
	envUser     = "IDPTEST_BROWSER_USER"
	envPassword = "IDPTEST_BROWSER_PASSWORD"
	envCA       = "IDPTEST_BROWSER_CA"
	envMode     = "IDPTEST_BROWSER_MODE"
)

// BrowserEnv returns the environment that makes a child process open URLs with the scripted
// browser: the test binary itself, started as $BROWSER, logging in as user (mode is one of the
// Browser constants). The test binary must call BrowserMain first thing in TestMain.
func (p *Provider) BrowserEnv(user User, mode string) []string {
	exe, _ := os.Executable()
	return []string{
		"BROWSER=" + exe,
		envBrowser + "=1",
		envUser + "=" + user.Username,
		envPassword + "=" + user.Password,
		envCA + "=" + p.CAFile,
		envMode + "=" + mode,
	}
}

// BrowserMain turns the process into the scripted browser when it was started as one (see
// BrowserEnv): it opens the URL given as the last argument, acts, and exits. Otherwise it
// returns at once. Call it first thing in TestMain.
func BrowserMain() {
	if os.Getenv(envBrowser) != "1" || len(os.Args) < 2 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := Browse(ctx, os.Args[len(os.Args)-1], BrowseOptions{
		Username: os.Getenv(envUser), Password: os.Getenv(envPassword),
		CAFile: os.Getenv(envCA), Mode: os.Getenv(envMode),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "idptest browser:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// BrowseOptions configure one scripted browser visit.
type BrowseOptions struct {
	Username, Password string
	CAFile             string // PEM of the provider's certificate
	Mode               string // a Browser constant; default BrowserLogin
}

var formIDRe = regexp.MustCompile(`name="id" value="([^"]+)"`)

// Browse opens an authorization URL as a user would: it loads the login page, posts the form,
// and follows the redirects to the application's callback, whose page it reads.
func Browse(ctx context.Context, authURL string, o BrowseOptions) error {
	if o.Mode == "" {
		o.Mode = BrowserLogin
	}
	u, err := url.Parse(authURL)
	if err != nil {
		return fmt.Errorf("parse auth URL: %w", err)
	}
	q := u.Query()
	redirect, state := q.Get("redirect_uri"), q.Get("state")
	client, err := browserClient(o.CAFile)
	if err != nil {
		return err
	}
	switch o.Mode {
	case BrowserIgnore:
		return nil
	case BrowserDeny:
		cb := redirect + "?" + url.Values{"error": {"access_denied"}, "error_description": {"The user denied the request"}, "state": {state}}.Encode()
		_, err := get(ctx, client, cb)
		return err
	}
	page, err := get(ctx, client, authURL)
	if err != nil {
		return fmt.Errorf("open login page: %w", err)
	}
	m := formIDRe.FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("no login form at %s: %.200s", authURL, page)
	}
	form := url.Values{"id": {m[1]}, "username": {o.Username}, "password": {o.Password}}
	if o.Mode == BrowserWrongState || o.Mode == BrowserForgedFirst {
		// Stop at the redirect to the application and tamper with its state.
		client.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), redirect) {
				return http.ErrUseLastResponse
			}
			return nil
		}
		resp, err := post(ctx, client, u.Scheme+"://"+u.Host+"/login", form)
		if err != nil {
			return err
		}
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || !strings.HasPrefix(loc.String(), redirect) {
			return fmt.Errorf("login did not redirect to the application (status %s, location %q)", resp.Status, resp.Header.Get("Location"))
		}
		real := loc.String()
		cq := loc.Query()
		cq.Set("state", "forged-"+state)
		loc.RawQuery = cq.Encode()
		client.CheckRedirect = nil
		if _, err = get(ctx, client, loc.String()); err != nil || o.Mode == BrowserWrongState {
			return err
		}
		_, err = get(ctx, client, real)
		return err
	}
	resp, err := post(ctx, client, u.Scheme+"://"+u.Host+"/login", form)
	if err != nil {
		return fmt.Errorf("post login form: %w", err)
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return errors.New("login refused: wrong username or password")
	}
	return nil
}

func browserClient(caFile string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if caFile != "" {
		pemBytes, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("read provider CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemBytes) {
			return nil, fmt.Errorf("no certificate in %s", caFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second}, nil
}

func get(ctx context.Context, c *http.Client, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func post(ctx context.Context, c *http.Client, u string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, nil
}
