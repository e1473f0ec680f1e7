package distribute

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"ccwb.dev/cdk/internal/distribute/distributetest"
	"ccwb.dev/contract/distribution"
)

// local is a bucket on a local versitygw, and an HTTP client for its links.
func local(t *testing.T) (*Bucket, *http.Client) {
	t.Helper()
	_, c, hc := distributetest.LocalS3(t, false)
	return &Bucket{Client: c, Name: distributetest.BucketName}, hc
}

// fakePackage is distributetest's package, opened.
func fakePackage(t *testing.T) *Package {
	t.Helper()
	p, err := Open(distributetest.Package(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func get(t *testing.T, hc *http.Client, url string) (int, []byte, http.Header) {
	t.Helper()
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header
}

// pastSigner presigns as if the clock said signed: an expired link, without a sleep.
type pastSigner struct{ signed time.Time }

func (p pastSigner) PresignHTTP(ctx context.Context, c aws.Credentials, r *http.Request, payload, service, region string, _ time.Time, opts ...func(*v4.SignerOptions)) (string, http.Header, error) {
	return v4.NewSigner().PresignHTTP(ctx, c, r, payload, service, region, p.signed, opts...)
}

func TestUploadAndLinks(t *testing.T) {
	b, hc := local(t)
	p := fakePackage(t)
	var progress bytes.Buffer
	up, err := b.Upload(context.Background(), p, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if want := distribution.PackageKey("ClaudeCode", "1.4.0", "claude-code-with-bedrock-ClaudeCode-1.4.0.tar.gz"); up.Archives[distribution.Linux] != want || up.Archives[distribution.MacOS] != want {
		t.Fatalf("archives %v, want %s", up.Archives, want)
	}

	link, err := b.Link(context.Background(), up.Archives[distribution.Linux], time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	status, body, h := get(t, hc, link)
	want, _ := os.ReadFile(p.TarGz)
	if status != 200 || sha256.Sum256(body) != sha256.Sum256(want) {
		t.Fatalf("link: status %d, %d bytes; want the archive's exact %d bytes", status, len(body), len(want))
	}
	if cd := h.Get("Content-Disposition"); !strings.Contains(cd, "claude-code-with-bedrock-ClaudeCode-1.4.0.tar.gz") {
		t.Errorf("Content-Disposition %q does not name the file", cd)
	}

	// A link changed in any way, or past its lifetime, is refused by the server.
	tampered := strings.Replace(link, "1.4.0", "1.4.1", 1)
	if status, _, _ := get(t, hc, tampered); status != 403 {
		t.Errorf("tampered link: status %d, want 403", status)
	}
	expired, err := s3.NewPresignClient(b.Client, func(o *s3.PresignOptions) { o.Presigner = pastSigner{time.Now().Add(-2 * time.Hour)} }).
		PresignGetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(b.Name), Key: aws.String(up.Archives[distribution.Linux])}, s3.WithPresignExpires(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if status, body, _ := get(t, hc, expired.URL); status != 403 {
		t.Errorf("expired link: status %d (%s), want 403", status, body)
	}
	// S3 refuses a lifetime over 7 days; so does CheckExpiry, before anything is signed.
	long, err := b.Link(context.Background(), up.Archives[distribution.Linux], MaxExpiry+24*time.Hour)
	if err == nil {
		if status, _, _ := get(t, hc, long); status < 400 {
			t.Errorf("an 8-day link worked (status %d)", status)
		}
	}
	if status, _, _ := get(t, hc, mustLink(t, b, up.Archives[distribution.Linux], MaxExpiry)); status != 200 {
		t.Errorf("a 7-day link: status %d", status)
	}

	l := &distribution.Latest{Version: p.Version, Profile: p.Profile, PublishedAt: time.Now().UTC().Truncate(time.Second), Archives: up.Archives, Sums: up.Sums}
	if err := b.Publish(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	out, err := b.Client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(b.Name), Key: aws.String(distribution.LatestKey)})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(out.Body)
	got, err := distribution.ParseLatest(raw)
	if err != nil || got.Version != "1.4.0" || got.Archives[distribution.Windows] != up.Archives[distribution.Windows] {
		t.Fatalf("latest.json read back: %+v, %v", got, err)
	}
}

func mustLink(t *testing.T, b *Bucket, key string, d time.Duration) string {
	t.Helper()
	l, err := b.Link(context.Background(), key, d)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestCheckExpiry(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	longTerm := aws.Credentials{AccessKeyID: "AKIA"}
	session := aws.Credentials{AccessKeyID: "ASIA", CanExpire: true, Expires: now.Add(6 * time.Hour)}
	for _, c := range []struct {
		expires time.Duration
		creds   aws.Credentials
		want    string
	}{
		{72 * time.Hour, longTerm, ""},
		{MaxExpiry, longTerm, ""},
		{MaxExpiry + time.Second, longTerm, "longest a presigned link can live"},
		{0, longTerm, "positive"},
		{5 * time.Hour, session, ""},
		{72 * time.Hour, session, "--expires 6h0m0s or less"},
	} {
		err := CheckExpiry(c.expires, c.creds, now)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckExpiry(%s, expiring=%v) = %v, want %q", c.expires, c.creds.CanExpire, err, c.want)
		}
	}
}
