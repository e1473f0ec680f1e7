package packager

import (
	"context"
	"fmt"
	"path/filepath"

	"ccwb.dev/contract/distribution"
)

// Signer signs what a package ships; cdk/internal/signing implements it, so the client
// module links no signing library. A package built without one says plainly that it is
// unsigned (distribution.UnsignedFile, the README, the installers).
type Signer interface {
	// MachO signs one thin macOS binary (Developer ID, hardened runtime), identified as name.
	MachO(ctx context.Context, name string, thin []byte) ([]byte, error)
	// PE signs one Windows executable with Authenticode.
	PE(ctx context.Context, name string, exe []byte) ([]byte, error)
	// Sums signs SHA256SUMS and returns the signature and the signer's allowed-signers line.
	Sums(sums []byte) (signature, allowedSigners []byte, err error)
	// Thumbprint is the Authenticode certificate's SHA-1 thumbprint (install.ps1 pins it).
	Thumbprint() string
	// Notarize submits a signed macOS binary to Apple (a no-op when notarization is off).
	Notarize(ctx context.Context, path string) error
}

// unsignedNotice is the UNSIGNED file of a package built without a Signer.
const unsignedNotice = `This package is UNSIGNED.

Its binaries carry no Developer ID or Authenticode signature and SHA256SUMS no signature:
the checksums show that a download is whole, not who built it. On macOS the installer
removes the quarantine flag and on Windows the Mark-of-the-Web, which skips the operating
system's checks. Ask your platform team for a signed package (ccwb package --sign).
`

// sign signs a binary for the platform of target's OS, or returns it as it is.
func (o Options) sign(goos, name string, data []byte) ([]byte, error) {
	if o.Signer == nil {
		return data, nil
	}
	var signed []byte
	var err error
	switch goos {
	case "darwin":
		signed, err = o.Signer.MachO(context.Background(), name, data)
	case "windows":
		signed, err = o.Signer.PE(context.Background(), name, data)
	default:
		return data, nil // Linux has no code signature; SHA256SUMS.sig covers it
	}
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	return signed, nil
}

// signatureFiles are SHA256SUMS.sig and allowed_signers of a signed package (none unsigned).
func (o Options) signatureFiles(sums []byte) ([]file, error) {
	if o.Signer == nil {
		return nil, nil
	}
	sig, allowed, err := o.Signer.Sums(sums)
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	return []file{{distribution.SumsSignatureFile, sig, 0o644}, {distribution.AllowedSignersFile, allowed, 0o644}}, nil
}

// notarize submits the package's macOS binaries.
func notarize(ctx context.Context, s Signer, pkg *Package) error {
	for _, f := range pkg.Files {
		if filepath.Dir(f.Path) == "bin/"+PlatformMac {
			if err := s.Notarize(ctx, filepath.Join(pkg.Dir, filepath.FromSlash(f.Path))); err != nil {
				return fmt.Errorf("package: %w", err)
			}
		}
	}
	return nil
}
