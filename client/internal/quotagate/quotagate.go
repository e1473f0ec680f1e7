// Package quotagate asks the deployment's quota service before federating: an
// aws.CredentialsProvider around federation, inside the credentials cache and the profile
// lock, so that only the federation and refresh path reaches it; printing cached credentials
// never does. One HTTPS call with the ID token and a 3 s deadline; a blocked user gets the
// limit, the usage and the reset time instead of credentials, a warned one a stderr line.
// When the service cannot be reached, the profile's fail mode decides (docs/platform/quotas.md).
package quotagate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/quota"
)

// Gate checks the user's quota, then asks Next for credentials.
type Gate struct {
	URL        string
	FailClosed bool
	Tokens     token.Source // the ID token (the same source federation uses)
	Next       aws.CredentialsProvider
	HTTPClient *http.Client  // optional
	Timeout    time.Duration // default quota.CheckTimeout
	Stderr     io.Writer
}

// BlockedError is the answer for a user over a block limit.
type BlockedError struct{ Verdict quota.Verdict }

func (e *BlockedError) Error() string { return e.Verdict.Message() }

// UnavailableError is an unreachable or failing quota service with fail mode closed.
type UnavailableError struct {
	URL string
	Err error
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the quota service at %s did not answer (%v), and this deployment gives no credentials without it (quota_fail_mode closed); try again in a minute, or ask your administrator", e.URL, e.Err)
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// Retrieve implements aws.CredentialsProvider.
func (g *Gate) Retrieve(ctx context.Context) (aws.Credentials, error) {
	t, err := g.Tokens.Token(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	v, err := g.Check(ctx, t.IDToken)
	switch {
	case err != nil && g.FailClosed:
		return aws.Credentials{}, &UnavailableError{URL: g.URL, Err: err}
	case err != nil:
		fmt.Fprintf(g.Stderr, "ccwb: the quota service did not answer (%v); continuing without the check\n", err)
	case v.Decision == quota.Blocked:
		return aws.Credentials{}, &BlockedError{Verdict: v}
	case v.Decision == quota.Warned:
		fmt.Fprintln(g.Stderr, v.Message())
	}
	return g.Next.Retrieve(ctx)
}

// Check makes the one call: POST with the ID token as bearer, within the timeout.
func (g *Gate) Check(ctx context.Context, idToken string) (quota.Verdict, error) {
	timeout := g.Timeout
	if timeout == 0 {
		timeout = quota.CheckTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader([]byte("{}")))
	if err != nil {
		return quota.Verdict{}, fmt.Errorf("quota service URL %q: %w", g.URL, err)
	}
	req.Header.Set("Authorization", "Bearer "+idToken)
	req.Header.Set("Content-Type", "application/json")
	h := g.HTTPClient
	if h == nil {
		h = http.DefaultClient
	}
	resp, err := h.Do(req)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return quota.Verdict{}, fmt.Errorf("no answer within %s", timeout)
	}
	if err != nil {
		return quota.Verdict{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return quota.Verdict{}, fmt.Errorf("read the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return quota.Verdict{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return quota.ParseVerdict(body)
}
