package testenv

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// S3Hint is how to get the local S3 server.
const S3Hint = "`make setup` builds versitygw into .cache/bin from tools/versitygw (Go module proxy, about two minutes once)"

// S3Server is a local S3 endpoint: versitygw (https://github.com/versity/versitygw,
// Apache-2.0) over a temporary directory. Unlike moto, it checks SigV4 signatures, presigned
// URLs included, and their expiry, as S3 does, so a tampered or expired link fails here too.
type S3Server struct {
	// URL is the endpoint (path-style requests: the SDK's UsePathStyle).
	URL string
	// AccessKey and SecretKey are its one account's credentials; Region its Region.
	AccessKey, SecretKey, Region string
	// CAFile is the PEM certificate of an https server ("" over http).
	CAFile string
}

// S3 starts versitygw on a free loopback port until the test ends, over https with a
// certificate of its own when tls is set (a browser downloading from an https page needs
// that). Without the binary the test fails in CI and is skipped elsewhere.
func S3(t testing.TB, tls bool) *S3Server {
	t.Helper()
	bin := NeedFile(t, filepath.Join(Root(t), ".cache", "bin", "versitygw"), "versitygw", S3Hint)
	s := &S3Server{AccessKey: "AKIACCWBTESTLOCAL", SecretKey: "ccwb-test-secret-key-0123456789", Region: "us-east-1"}
	dir := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	args := []string{"--access", s.AccessKey, "--secret", s.SecretKey, "--region", s.Region, "--port", addr}
	s.URL = "http://" + addr
	if tls {
		cert, key := selfSigned(t, dir)
		args = append(args, "--cert", cert, "--key", key)
		s.URL, s.CAFile = "https://"+addr, cert
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	serve(t, "versitygw", exec.Command(bin, append(args, "posix", data)...), s.URL)
	return s
}

// selfSigned writes a certificate for 127.0.0.1 (Certificate) and its key into dir.
func selfSigned(t testing.TB, dir string) (certFile, keyFile string) {
	t.Helper()
	cert, certPEM := Certificate(t, 24*time.Hour)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "s3.pem"), filepath.Join(dir, "s3-key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
