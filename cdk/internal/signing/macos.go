package signing

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anchore/quill/quill"
	"github.com/anchore/quill/quill/notary"
	"github.com/anchore/quill/quill/pki/load"
)

func (s *Signer) loadMacOS() error {
	path, err := needFile(EnvMacOSP12, "the Developer ID Application certificate with its private key and chain (.p12)")
	if err != nil {
		return err
	}
	pass, err := getenv(EnvMacOSPassword)
	if err != nil {
		return err
	}
	if s.mac, err = load.P12(path, pass); err != nil {
		return fmt.Errorf("%s %s: %w (is %s right?)", EnvMacOSP12, path, err, EnvMacOSPassword)
	}
	s.macTimestamp = appleTimestampDefault
	if v := os.Getenv(EnvMacOSTimestampURL); v == "none" {
		s.macTimestamp = ""
	} else if v != "" {
		s.macTimestamp = v
	}
	return nil
}

func (s *Signer) loadNotary() error {
	issuer, keyID := os.Getenv(EnvNotaryIssuer), os.Getenv(EnvNotaryKeyID)
	key, err := needFile(EnvNotaryKey, "the App Store Connect API key (.p8)")
	if err != nil || issuer == "" || keyID == "" {
		return fmt.Errorf("notarization needs %s, %s and %s (an App Store Connect API key), or --no-notarize (Gatekeeper then blocks the first run)", EnvNotaryIssuer, EnvNotaryKeyID, EnvNotaryKey)
	}
	s.notary = quill.NewNotarizeConfig(issuer, keyID, key)
	return nil
}

// MachO signs one thin Mach-O binary, identified as name, with the Developer ID
// certificate and the hardened runtime (quill sets it), and returns the signed bytes.
func (s *Signer) MachO(_ context.Context, name string, thin []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "ccwb-sign-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, thin, 0o755); err != nil {
		return nil, err
	}
	cfg, err := quill.NewSigningConfigFromP12(path, *s.mac, true)
	if err != nil {
		return nil, fmt.Errorf("sign %s for macOS: %w", name, err)
	}
	if err := quill.Sign(*cfg.WithTimestampServer(s.macTimestamp)); err != nil {
		return nil, fmt.Errorf("sign %s for macOS: %w", name, err)
	}
	return os.ReadFile(path)
}

// Notarize submits a signed macOS binary to Apple's notary service and waits for its
// verdict (up to 15 minutes); without notary credentials it does nothing. There is no
// ticket to staple to a bare binary: Gatekeeper looks it up online on first run.
func (s *Signer) Notarize(_ context.Context, path string) error {
	if s.notary == nil {
		return nil
	}
	status, err := quill.Notarize(path, *s.notary)
	if err != nil {
		return fmt.Errorf("notarize %s: %w", path, err)
	}
	if status != notary.AcceptedStatus {
		return fmt.Errorf("notarize %s: Apple's notary service says %s", path, status)
	}
	return nil
}

// Notarizes says whether Notarize submits anything.
func (s *Signer) Notarizes() bool { return s.notary != nil }
