// Package signtest makes throwaway signing identities for tests (a CA, code-signing
// certificates in .p12 files, an SSH key), sets the environment signing.FromEnv reads, and
// checks signatures with tools that are not ours: openssl over a Mach-O code signature,
// osslsigncode for Authenticode, ssh-keygen -Y for SHA256SUMS.
package signtest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"software.sslmate.com/src/go-pkcs12"
)

// Identities are the files of a throwaway signing set.
type Identities struct {
	// CAFile is the PEM root that issued both code-signing certificates.
	CAFile string
	// MacOSP12 and AuthenticodeP12 are certificate, key and chain, with Password.
	MacOSP12, AuthenticodeP12, Password string
	// SumsKey is an OpenSSH ed25519 private key.
	SumsKey string
}

// New writes a throwaway identity set into a temporary directory and points the signing
// environment variables at it (no notary, no timestamp servers: offline).
func New(t testing.TB) *Identities {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ccwb test root CA", Organization: []string{"ccwb tests"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	id := &Identities{CAFile: filepath.Join(dir, "ca.pem"), Password: "throwaway-password"}
	write(t, id.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	id.MacOSP12 = filepath.Join(dir, "developer-id.p12")
	write(t, id.MacOSP12, leafP12(t, ca, caKey, "Developer ID Application: ccwb tests (TEAMID1234)", 2, id.Password))
	id.AuthenticodeP12 = filepath.Join(dir, "authenticode.p12")
	write(t, id.AuthenticodeP12, leafP12(t, ca, caKey, "ccwb tests code signing", 3, id.Password))
	_, sshKey, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKey(sshKey, "ccwb test release key")
	if err != nil {
		t.Fatal(err)
	}
	id.SumsKey = filepath.Join(dir, "sums-key")
	write(t, id.SumsKey, pem.EncodeToMemory(block))
	for k, v := range map[string]string{
		"CCWB_MACOS_P12": id.MacOSP12, "CCWB_MACOS_P12_PASSWORD": id.Password, "CCWB_MACOS_TIMESTAMP_URL": "none",
		"CCWB_AUTHENTICODE_P12": id.AuthenticodeP12, "CCWB_AUTHENTICODE_P12_PASSWORD": id.Password, "CCWB_SUMS_KEY": id.SumsKey,
	} {
		t.Setenv(k, v)
	}
	return id
}

// leafP12 issues a code-signing certificate from ca and packs it with its key and the
// chain (the root included, so that the chain verifies).
func leafP12(t testing.TB, ca *x509.Certificate, caKey *ecdsa.PrivateKey, name string, serial int64, password string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name, Organization: []string{"ccwb tests"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ = x509.ParseCertificate(der)
	p12, err := pkcs12.Modern.Encode(key, leaf, []*x509.Certificate{ca}, password)
	if err != nil {
		t.Fatal(err)
	}
	return p12
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
