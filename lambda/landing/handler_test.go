package landing_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/contract/distribution"
	"ccwb.dev/lambda/landing"
	"ccwb.dev/lambda/landing/albtest"
)

// links is a Store that hands out recognisable links (the real S3 presigning is witnessed
// against a local S3 server in cdk/internal/distribute).
type links struct{ latest *distribution.Latest }

func (s links) Latest(context.Context) (*distribution.Latest, error) { return s.latest, nil }
func (s links) Presign(_ context.Context, key, file string, d time.Duration) (string, error) {
	return fmt.Sprintf("https://bucket.example/%s?as=%s&expires=%s", key, file, d), nil
}

var published = &distribution.Latest{
	Version: "1.4.0", Profile: "ClaudeCode", PublishedAt: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
	Archives: map[string]string{
		distribution.MacOS:   "packages/ClaudeCode/1.4.0/pkg.tar.gz",
		distribution.Linux:   "packages/ClaudeCode/1.4.0/pkg.tar.gz",
		distribution.Windows: "packages/ClaudeCode/1.4.0/pkg.zip",
	},
	Sums: "packages/ClaudeCode/1.4.0/SHA256SUMS", SignerFingerprint: "SHA256:abc",
}

func TestHandlerServesSignedInUsersOnly(t *testing.T) {
	alb := albtest.New(t)
	key, kid := alb.Key()
	var log bytes.Buffer
	h := &landing.Handler{Verifier: verifier(alb), Store: links{published}, Log: &log}
	signed := albtest.Sign(key, kid, alb.ARN, client, "https://idp", time.Now().Add(time.Minute), user)
	get := func(path, data, ua string) events.ALBTargetGroupResponse {
		t.Helper()
		r, err := h.Serve(context.Background(), events.ALBTargetGroupRequest{HTTPMethod: "GET", Path: path,
			Headers: map[string]string{landing.HeaderData: data, "user-agent": ua, "x-forwarded-for": "203.0.113.7, 10.0.0.1"}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	page := get("/", signed, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "jane.doe@example.com") || !strings.Contains(page.Body, `id="platform-windows" data-platform="windows">`) {
		t.Fatalf("page for a Windows browser: %d\n%s", page.StatusCode, page.Body)
	}
	if !strings.Contains(page.Body, "claude-code-with-bedrock-ClaudeCode-1.4.0.zip") || !strings.Contains(page.Body, "SHA256:abc") {
		t.Errorf("the page does not name the Windows archive and the signing key:\n%s", page.Body)
	}
	if len(page.Body) > landing.MaxResponseBytes/10 {
		t.Errorf("page is %d bytes", len(page.Body))
	}

	dl := get("/download/macos", signed, "")
	if dl.StatusCode != 302 || dl.Headers["Location"] != "https://bucket.example/packages/ClaudeCode/1.4.0/pkg.tar.gz?as=claude-code-with-bedrock-ClaudeCode-1.4.0.tar.gz&expires=5m0s" {
		t.Fatalf("download: %d %v", dl.StatusCode, dl.Headers)
	}
	var line landing.Download
	if err := json.Unmarshal(bytes.TrimSpace(log.Bytes()), &line); err != nil {
		t.Fatalf("download log %q: %v", log.String(), err)
	}
	if line.Event != "download" || line.Subject != "00u1a2b3c4" || line.Email != "jane.doe@example.com" || line.Platform != "macos" || line.Version != "1.4.0" || line.SourceIP != "203.0.113.7" {
		t.Errorf("download log line %+v", line)
	}

	log.Reset()
	for _, bad := range []string{"", strings.Replace(signed, ".", "x.", 1)} {
		if r := get("/download/linux", bad, ""); r.StatusCode != 401 || r.Headers["Location"] != "" {
			t.Errorf("unsigned request: %d %v", r.StatusCode, r.Headers)
		}
	}
	if strings.Contains(log.String(), `"download"`) {
		t.Errorf("a refused request was logged as a download: %s", log.String())
	}
	for _, l := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var p landing.Problem
		if err := json.Unmarshal([]byte(l), &p); err != nil || p.Event != "rejected" || p.Reason == "" {
			t.Errorf("a refused request's log line is not {\"event\":\"rejected\",\"reason\":...}: %q (%v)", l, err)
		}
	}
	if r := get("/download/solaris", signed, ""); r.StatusCode != 404 {
		t.Errorf("unknown platform: %d", r.StatusCode)
	}
}
