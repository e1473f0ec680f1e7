package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
)

var credentialRe = regexp.MustCompile(`Credential=([^/]+)/`)

// latestBucket stands in for the distribution bucket's latest.json: it answers only a GET
// signed (SigV4, S3) with credentials the fake STS issued, which it checks by signing the
// same request again with that session's secret. (Against a real S3 server, the signing is
// witnessed in internal/upgrade with versitygw, which has no STS.) It counts requests.
func latestBucket(t *testing.T, e *env) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		m := credentialRe.FindStringSubmatch(r.Header.Get("Authorization"))
		if m == nil || r.URL.Path != "/dist/"+distribution.LatestKey {
			http.Error(w, "AccessDenied", http.StatusForbidden)
			return
		}
		s, ok := e.aws.Session(m[1])
		signed, _ := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
		again.Header.Set("X-Amz-Content-Sha256", r.Header.Get("X-Amz-Content-Sha256"))
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken},
			again, r.Header.Get("X-Amz-Content-Sha256"), "s3", "us-east-1", signed)
		if !ok || err != nil || again.Header.Get("Authorization") != r.Header.Get("Authorization") || r.Header.Get("X-Amz-Security-Token") != s.SessionToken {
			http.Error(w, "SignatureDoesNotMatch", http.StatusForbidden)
			return
		}
		w.Write([]byte(`{"version": "1.5.0", "profile": "test", "published_at": "2026-12-01T09:00:00Z", "landing_url": "https://claude.example.com/", "archives": {}, "sums": ""}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// The upgrade notice: once after fresh credentials, not again that day, never on the cached
// path, again a day later; --version reports the last check; the opt-out and an unreachable
// bucket change nothing about the credentials.
func TestUpgradeNotice(t *testing.T) {
	e := newEnv(t, func(_ *idptest.Options, p *config.Profile) {
		p.Upgrade = &config.Upgrade{Bucket: "dist", Key: distribution.LatestKey, Region: "us-east-1"}
	})
	bucket, calls := latestBucket(t, e)
	e.extra = append(e.extra, "AWS_ENDPOINT_URL_S3="+bucket.URL)
	const notice = "ccwb: Claude Code with Amazon Bedrock 1.5.0 is available (you have dev): https://claude.example.com/"

	r := e.run()
	e.mustCredentials(r)
	if !strings.Contains(r.stderr, notice) || calls.Load() != 1 {
		t.Fatalf("first sign-in: %d requests, stderr:\n%s\nwant the notice after one signed request", calls.Load(), r.stderr)
	}
	r = e.run()
	e.mustCredentials(r)
	if strings.Contains(r.stderr, "available") || calls.Load() != 1 {
		t.Errorf("cached path: %d requests (want none), stderr %q", calls.Load(), r.stderr)
	}
	if v := e.run("--version"); !strings.Contains(v.stdout, "latest published: 1.5.0") || !strings.Contains(v.stdout, notice) {
		t.Errorf("--version:\n%s", v.stdout)
	}

	fresh := func() result { // fresh credentials again: the cache cleared, a new sign-in
		t.Helper()
		e.run("--clear-cache")
		r := e.run()
		e.mustCredentials(r)
		return r
	}
	if r := fresh(); strings.Contains(r.stderr, "available") || calls.Load() != 1 {
		t.Errorf("fresh credentials the same day: %d requests (want none), stderr %q", calls.Load(), r.stderr)
	}
	e.backdateUpgradeState(25 * time.Hour)
	if r := fresh(); !strings.Contains(r.stderr, notice) || calls.Load() != 2 {
		t.Errorf("a day later: %d requests, stderr %q; want the notice again", calls.Load(), r.stderr)
	}

	e.backdateUpgradeState(25 * time.Hour)
	e.extra = append(e.extra, "CCWB_NO_UPGRADE_CHECK=1")
	if r := fresh(); strings.Contains(r.stderr, "available") || calls.Load() != 2 {
		t.Errorf("opted out: %d requests, stderr %q", calls.Load(), r.stderr)
	}
	e.extra = e.extra[:len(e.extra)-1]
	bucket.Close()
	fresh() // the bucket unreachable: credentials all the same
}

// backdateUpgradeState moves the profile's last check and notice into the past.
func (e *env) backdateUpgradeState(d time.Duration) {
	e.t.Helper()
	path := filepath.Join(e.cache, "ccwb", "test.upgrade.json")
	data, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatalf("no upgrade state: %v", err)
	}
	var s map[string]any
	json.Unmarshal(data, &s)
	for _, k := range []string{"checked_at", "notified_at"} {
		if v, ok := s[k].(string); ok {
			at, _ := time.Parse(time.RFC3339Nano, v)
			s[k] = at.Add(-d)
		}
	}
	data, _ = json.Marshal(s)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		e.t.Fatal(err)
	}
}
