// Package signing signs what a package ships, from Linux: the macOS binaries with a
// Developer ID certificate and the hardened runtime, then notarized
// (github.com/anchore/quill), the Windows binaries with Authenticode
// (github.com/sassoftware/relic), and SHA256SUMS with an SSH signature that ssh-keygen -Y
// verifies on any laptop (github.com/hiddeco/sshsig). It implements packager.Signer; the
// client binaries link none of it.
//
// Identities and keys come only from files named by environment variables (passwords from
// the environment or a file), never from the settings in git, never from flags.
package signing

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// The environment variables that name the signing identities.
const (
	EnvMacOSP12           = "CCWB_MACOS_P12"          // Developer ID Application certificate with its key and chain (.p12)
	EnvMacOSPassword      = "CCWB_MACOS_P12_PASSWORD" // its password (or _FILE: a file holding it)
	EnvNotaryIssuer       = "CCWB_NOTARY_ISSUER"      // App Store Connect API key: issuer ID
	EnvNotaryKeyID        = "CCWB_NOTARY_KEY_ID"      // its key ID
	EnvNotaryKey          = "CCWB_NOTARY_KEY"         // its .p8 private key file
	EnvAuthenticodeP12    = "CCWB_AUTHENTICODE_P12"   // code-signing certificate with its key and chain (.p12)
	EnvAuthenticodePass   = "CCWB_AUTHENTICODE_P12_PASSWORD"
	EnvAuthenticodeTSA    = "CCWB_AUTHENTICODE_TIMESTAMP_URL" // RFC 3161 timestamp server (optional)
	EnvMacOSTimestampURL  = "CCWB_MACOS_TIMESTAMP_URL"        // default: Apple's; "none" for none (tests)
	EnvSumsKey            = "CCWB_SUMS_KEY"                   // OpenSSH private key (ed25519) that signs SHA256SUMS
	EnvSumsKeyPassphrase  = "CCWB_SUMS_KEY_PASSPHRASE"
	passwordFileSuffix    = "_FILE"
	appleTimestampDefault = "http://timestamp.apple.com/ts01"
)

// getenv reads a variable; NAME_FILE names a file holding the value instead.
func getenv(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	file := os.Getenv(name + passwordFileSuffix)
	if file == "" {
		return "", nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s%s: %w", name, passwordFileSuffix, err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// need reads a variable that must name an existing file.
func needFile(name, what string) (string, error) {
	path := os.Getenv(name)
	if path == "" {
		return "", fmt.Errorf("%s is not set: point it at %s", name, what)
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return path, nil
}

// FromEnv loads every identity --sign needs. notarize says whether the macOS binaries are
// submitted to Apple's notary service (its three variables are then required). Every
// problem is listed at once.
func FromEnv(notarize bool) (*Signer, error) {
	s := &Signer{}
	var problems []error
	add := func(err error) {
		if err != nil {
			problems = append(problems, err)
		}
	}
	add(s.loadMacOS())
	add(s.loadAuthenticode())
	add(s.loadSums())
	if notarize {
		add(s.loadNotary())
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("--sign: %w", errors.Join(problems...))
	}
	return s, nil
}
