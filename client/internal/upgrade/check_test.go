package upgrade

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/testenv"
)

const latestJSON = `{"version": "1.5.0", "profile": "ClaudeCode", "published_at": "2026-12-01T09:00:00Z", "landing_url": "https://claude.example.com/", "archives": {}, "sums": "packages/ClaudeCode/1.5.0/SHA256SUMS", "added_later": true}`

// The GET that Fetch signs is one S3 accepts: versitygw checks SigV4 as S3 does, and
// refuses the same request signed with a wrong secret.
func TestFetchIsSignedAsS3Checks(t *testing.T) {
	srv := testenv.S3(t, false)
	ctx := context.Background()
	c := s3.New(s3.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(srv.AccessKey, srv.SecretKey, "")})
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("dist")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("dist"), Key: aws.String(distribution.LatestKey), Body: strings.NewReader(latestJSON)}); err != nil {
		t.Fatal(err)
	}
	ck := &Checker{Config: &config.Upgrade{Bucket: "dist", Key: distribution.LatestKey, Region: srv.Region}, Endpoint: srv.URL}
	l, err := ck.Fetch(ctx, aws.Credentials{AccessKeyID: srv.AccessKey, SecretAccessKey: srv.SecretKey})
	if err != nil || l.Version != "1.5.0" {
		t.Fatalf("Fetch = %+v, %v", l, err)
	}
	if _, err := ck.Fetch(ctx, aws.Credentials{AccessKeyID: srv.AccessKey, SecretAccessKey: "wrong"}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a wrong secret: %v, want S3's 403", err)
	}
}

// A counting stand-in for the bucket; the signature itself is witnessed above.
func stub(t *testing.T, status int) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.Header.Get("Authorization") == "" || r.URL.Path != "/dist/latest.json" {
			http.Error(w, "unsigned or wrong key", http.StatusForbidden)
			return
		}
		w.WriteHeader(status)
		w.Write([]byte(latestJSON))
	}))
	t.Cleanup(s.Close)
	return s, &n
}

func TestOnceADay(t *testing.T) {
	srv, calls := stub(t, 200)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var stderr bytes.Buffer
	ck := &Checker{Config: &config.Upgrade{Bucket: "dist", Key: "latest.json", Region: "us-east-1"}, Current: "1.4.0",
		StatePath: filepath.Join(t.TempDir(), "state", "upgrade.json"), Endpoint: srv.URL, Stderr: &stderr, Now: func() time.Time { return now }}
	creds := aws.Credentials{AccessKeyID: "ASIA", SecretAccessKey: "s", SessionToken: "t"}
	run := func(at time.Duration) string {
		now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).Add(at)
		stderr.Reset()
		ck.AfterFresh(context.Background(), creds)
		return stderr.String()
	}
	want := "ccwb: Claude Code with Amazon Bedrock 1.5.0 is available (you have 1.4.0): https://claude.example.com/\n"
	if got := run(0); got != want || calls.Load() != 1 {
		t.Fatalf("first fresh credentials: %q, %d requests; want the notice after one request", got, calls.Load())
	}
	if got := run(8 * time.Hour); got != "" || calls.Load() != 1 {
		t.Errorf("the same day: %q, %d requests; want neither notice nor request", got, calls.Load())
	}
	if got := run(25 * time.Hour); got != want || calls.Load() != 2 {
		t.Errorf("a day later: %q, %d requests; want the notice again after a second request", got, calls.Load())
	}
	if d := Describe(ck.StatePath, "1.4.0"); !strings.Contains(d, "latest published: 1.5.0 (checked 2026-12-02T10:00:00Z)") {
		t.Errorf("Describe = %q", d)
	}

	ck.Current = "1.5.0"
	if got := run(50 * time.Hour); got != "" {
		t.Errorf("up to date: %q", got)
	}
}

func TestFailuresAreSilent(t *testing.T) {
	for _, status := range []int{403, 500} {
		srv, calls := stub(t, status)
		var stderr bytes.Buffer
		ck := &Checker{Config: &config.Upgrade{Bucket: "dist", Key: "latest.json", Region: "us-east-1"}, Current: "1.4.0",
			StatePath: filepath.Join(t.TempDir(), "upgrade.json"), Endpoint: srv.URL, Stderr: &stderr}
		ck.AfterFresh(context.Background(), aws.Credentials{AccessKeyID: "A", SecretAccessKey: "s"})
		ck.AfterFresh(context.Background(), aws.Credentials{AccessKeyID: "A", SecretAccessKey: "s"})
		if stderr.Len() != 0 || calls.Load() != 1 {
			t.Errorf("status %d: %q, %d requests; want silence and one try a day", status, stderr.String(), calls.Load())
		}
	}
}

func TestNewer(t *testing.T) {
	for _, c := range []struct {
		latest, current string
		want            bool
	}{
		{"1.5.0", "1.4.0", true}, {"1.4.0", "1.5.0", false}, {"1.4.0", "1.4.0", false},
		{"1.10.0", "1.9.0", true}, {"2026.12.01", "dev", true}, {"", "1.0.0", false},
	} {
		if got := Newer(c.latest, c.current); got != c.want {
			t.Errorf("Newer(%q, %q) = %v", c.latest, c.current, got)
		}
	}
}

func TestOptOut(t *testing.T) {
	u := &config.Upgrade{Bucket: "b", Key: "latest.json", Region: "us-east-1"}
	t.Setenv(EnvOptOut, "1")
	if New(u, "1", "x", "", nil) != nil {
		t.Error("CCWB_NO_UPGRADE_CHECK=1 still checks")
	}
	t.Setenv(EnvOptOut, "")
	if New(nil, "1", "x", "", nil) != nil || New(u, "1", "x", "", nil) == nil {
		t.Error("the upgrade block does not decide the check")
	}
}

// The empty body's hash is SHA-256's of nothing, and latest.json's address at S3 itself is
// the one the AWS SDK's S3 endpoint resolver gives (virtual-hosted, regional).
func TestRequestIsTheSDKs(t *testing.T) {
	if sum := sha256.Sum256(nil); emptyHash != hex.EncodeToString(sum[:]) {
		t.Errorf("emptyHash = %s, want the SHA-256 of an empty body", emptyHash)
	}
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		ep, err := s3.NewDefaultEndpointResolverV2().ResolveEndpoint(context.Background(), s3.EndpointParameters{Bucket: aws.String("ccwb-dist-1a2b"), Region: aws.String(region)})
		if err != nil {
			t.Fatal(err)
		}
		ck := &Checker{Config: &config.Upgrade{Bucket: "ccwb-dist-1a2b", Key: distribution.LatestKey, Region: region}}
		if got, want := ck.objectURL(), ep.URI.String()+"/"+distribution.LatestKey; got != want {
			t.Errorf("%s: objectURL = %s, the SDK resolves %s", region, got, want)
		}
	}
}
