// Package distributetest is test support for the distribution: a local S3 server with the
// distribution bucket, and a package directory with archives to upload.
package distributetest

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/testenv"
)

// BucketName is the bucket LocalS3 creates.
const BucketName = "ccwb-distribution"

// LocalS3 starts versitygw (which checks SigV4 and presigned links as S3 does, unlike
// moto), over https when tls is set, creates BucketName and returns the server, an S3
// client of it and an HTTP client that trusts it.
func LocalS3(t testing.TB, tls bool) (*testenv.S3Server, *s3.Client, *http.Client) {
	t.Helper()
	srv := testenv.S3(t, tls)
	hc := HTTPClient(t, srv.CAFile)
	c := s3.New(s3.Options{
		Region: srv.Region, BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, HTTPClient: hc,
		Credentials: credentials.NewStaticCredentialsProvider(srv.AccessKey, srv.SecretKey, ""),
	})
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(BucketName)}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	return srv, c, hc
}

// HTTPClient trusts caFile ("" for plain http).
func HTTPClient(t testing.TB, caFile string) *http.Client {
	t.Helper()
	if caFile == "" {
		return &http.Client{Timeout: 30 * time.Second}
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// Package writes a package directory dist/ClaudeCode/<time>/ (the example's config.json,
// VERSION 1.4.0, SHA256SUMS) with archives of random bytes beside it, and returns it.
func Package(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ClaudeCode", "20261201T120000Z")
	write := func(path string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(testenv.Root(t), "client", "packager", "testdata", "example-config.json"))
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(dir, "config.json"), cfg)
	write(filepath.Join(dir, distribution.VersionFile), []byte("1.4.0\n"))
	write(filepath.Join(dir, distribution.SumsFile), []byte("0000  config.json\n"))
	big := make([]byte, 3<<20)
	rand.Read(big)
	write(dir+".tar.gz", big)
	write(dir+".zip", big[:1<<20])
	return dir
}
