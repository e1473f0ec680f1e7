package testenv

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
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

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t testing.TB, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ccwb local S3"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "s3.pem"), filepath.Join(dir, "s3-key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
