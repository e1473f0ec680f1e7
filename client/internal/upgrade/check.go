package upgrade

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
)

// Timeout bounds the one GET of latest.json; a slow or unreachable bucket costs no more.
const Timeout = 2 * time.Second

// emptyHash is the SHA-256 of an empty body, hex-encoded: S3's X-Amz-Content-Sha256 of a GET
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html). A
// constant, not computed at every start of the credential process.
const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Checker runs the check for one profile.
type Checker struct {
	Config *config.Upgrade
	// Current is the running version; StatePath the profile's state file.
	Current, StatePath string
	// Endpoint is an S3 endpoint override (AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL: see
	// profile.EndpointsFromEnv), spoken path-style; "" is S3 itself, virtual-hosted.
	Endpoint string
	HTTP     *http.Client
	Now      func() time.Time
	Stderr   io.Writer
}

// New is the profile's checker (endpoint: an S3 endpoint override, "" for S3 itself), or nil
// when the deployment has no upgrade block or the user opted out.
func New(u *config.Upgrade, current, statePath, endpoint string, stderr io.Writer) *Checker {
	if u == nil || os.Getenv(EnvOptOut) == "1" {
		return nil
	}
	return &Checker{Config: u, Current: current, StatePath: statePath, Endpoint: endpoint, Stderr: stderr}
}

// AfterFresh runs with credentials just issued: it reads latest.json when the last check
// is a day old, and prints the notice when it has not been printed for a day. Failures
// are silent: an upgrade check never stands between a user and their credentials.
func (c *Checker) AfterFresh(ctx context.Context, creds aws.Credentials) {
	now := c.now()
	s, _ := Read(c.StatePath)
	if now.Sub(s.CheckedAt) >= Interval {
		l, err := c.Fetch(ctx, creds)
		s.CheckedAt = now // a failed check too waits a day
		if err != nil {
			_ = s.write(c.StatePath)
			return
		}
		s.Latest, s.LandingURL = l.Version, l.LandingURL
		if s.LandingURL == "" {
			s.LandingURL = c.Config.LandingURL
		}
	}
	if n := s.Notice(c.Current); n != "" && now.Sub(s.NotifiedAt) >= Interval {
		fmt.Fprintln(c.Stderr, n)
		s.NotifiedAt = now
	}
	_ = s.write(c.StatePath)
}

// Fetch reads latest.json with a SigV4-signed GET.
func (c *Checker) Fetch(ctx context.Context, creds aws.Credentials) (*distribution.Latest, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.objectURL(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Amz-Content-Sha256", emptyHash)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyHash, "s3", c.Config.Region, c.now()); err != nil {
		return nil, err
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", req.URL.Redacted(), resp.Status)
	}
	return distribution.ParseLatest(body)
}

// objectURL is latest.json's URL: virtual-hosted at S3, path-style at an override.
func (c *Checker) objectURL() string {
	key := (&url.URL{Path: c.Config.Key}).EscapedPath()
	if c.Endpoint != "" {
		return strings.TrimRight(c.Endpoint, "/") + "/" + c.Config.Bucket + "/" + key
	}
	return "https://" + c.Config.Bucket + ".s3." + c.Config.Region + ".amazonaws.com/" + key
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Provider runs the check after its Next provider hands out fresh credentials; inside the
// credentials cache it sits on the non-cached path only.
type Provider struct {
	Next    aws.CredentialsProvider
	Checker *Checker
}

// Retrieve implements aws.CredentialsProvider.
func (p *Provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	cr, err := p.Next.Retrieve(ctx)
	if err == nil && p.Checker != nil {
		p.Checker.AfterFresh(ctx, cr)
	}
	return cr, err
}

var _ aws.CredentialsProvider = (*Provider)(nil)
