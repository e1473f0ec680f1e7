package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sassoftware/relic/v8/config"
	"github.com/sassoftware/relic/v8/lib/authenticode"
	"github.com/sassoftware/relic/v8/lib/certloader"
	"github.com/sassoftware/relic/v8/lib/pkcs9/tsclient"
	"software.sslmate.com/src/go-pkcs12"
)

func (s *Signer) loadAuthenticode() error {
	path, err := needFile(EnvAuthenticodeP12, "the Authenticode code-signing certificate with its private key and chain (.p12)")
	if err != nil {
		return err
	}
	pass, err := getenv(EnvAuthenticodePass)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvAuthenticodeP12, err)
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, pass)
	if err != nil {
		return fmt.Errorf("%s %s: %w (is %s right?)", EnvAuthenticodeP12, path, err, EnvAuthenticodePass)
	}
	s.authenticode = &certloader.Certificate{Leaf: leaf, Certificates: chainOf(leaf, chain), PrivateKey: key}
	if url := os.Getenv(EnvAuthenticodeTSA); url != "" {
		ts, err := tsclient.New(&config.TimestampConfig{URLs: []string{url}, Timeout: 30})
		if err != nil {
			return fmt.Errorf("%s: %w", EnvAuthenticodeTSA, err)
		}
		s.authenticode.Timestamper = ts
	}
	return nil
}

// PE signs a Windows executable with Authenticode (SHA-256) and returns the signed bytes.
func (s *Signer) PE(ctx context.Context, name string, exe []byte) ([]byte, error) {
	digest, err := authenticode.DigestPE(bytes.NewReader(exe), crypto.SHA256, false)
	if err != nil {
		return nil, fmt.Errorf("sign %s for Windows: %w", name, err)
	}
	patch, _, err := digest.Sign(ctx, s.authenticode, &authenticode.OpusParams{Description: "Claude Code with Amazon Bedrock"})
	if err != nil {
		return nil, fmt.Errorf("sign %s for Windows: %w", name, err)
	}
	dir, err := os.MkdirTemp("", "ccwb-sign-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.exe")
	if err := os.WriteFile(in, exe, 0o644); err != nil {
		return nil, err
	}
	f, err := os.Open(in)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := filepath.Join(dir, "out.exe")
	if err := patch.Apply(f, out); err != nil {
		return nil, fmt.Errorf("sign %s for Windows: %w", name, err)
	}
	return os.ReadFile(out)
}

// Thumbprint is the Authenticode certificate's SHA-1 thumbprint, as PowerShell's
// Get-AuthenticodeSignature reports SignerCertificate.Thumbprint (upper-case hex).
func (s *Signer) Thumbprint() string {
	sum := sha1.Sum(s.authenticode.Leaf.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
