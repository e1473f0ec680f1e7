// Package distribution is what the distribution stack, `ccwb distribute`, the landing page
// and the client agree on: the bucket's object keys, the files a package carries about its
// own version and signatures, and latest.json, the record of the newest published package.
// It imports nothing and touches no network.
package distribution

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Object keys in the distribution bucket.
const (
	// PackagePrefix holds every uploaded package: packages/<profile>/<version>/<file>.
	PackagePrefix = "packages/"
	// LatestKey is latest.json, the one object the Bedrock role may read (the upgrade
	// notice); it names the newest published package.
	LatestKey = "latest.json"
)

// PackageKey is the key of one file of a package in the bucket.
func PackageKey(profile, version, file string) string {
	return PackagePrefix + profile + "/" + version + "/" + file
}

// Files every package carries beside its binaries.
const (
	// VersionFile holds the package's version, one line: what install.sh, MDM detection
	// rules and the upgrade notice compare.
	VersionFile = "VERSION"
	// UnsignedFile exists only in a package built without --sign, saying so.
	UnsignedFile = "UNSIGNED"
	// SumsFile lists the SHA-256 of every other file (sha256sum's format).
	SumsFile = "SHA256SUMS"
	// SumsSignatureFile is the SSH signature (ssh-keygen -Y sign) of SumsFile.
	SumsSignatureFile = "SHA256SUMS.sig"
	// AllowedSignersFile is the ssh-keygen allowed-signers line of the signing key.
	AllowedSignersFile = "allowed_signers"
	// SumsNamespace is the SSHSIG namespace of SumsSignatureFile, so that the signature
	// of a package cannot stand for a signature made for anything else with the same key.
	SumsNamespace = "ccwb-package"
	// SignerIdentity is the principal of AllowedSignersFile.
	SignerIdentity = "ccwb-release"
)

// A package's archives, which `ccwb package` writes beside the package directory
// (<dir>.tar.gz for macOS and Linux, <dir>.zip for Windows) and `ccwb distribute` uploads.
const (
	TarGzExt = ".tar.gz"
	ZipExt   = ".zip"
)

// ArchiveFolder is the one top folder of a package's archives: the landing page's install
// command runs the installer inside it.
func ArchiveFolder(profile string) string { return "claude-code-with-bedrock-" + profile }

// ArchiveName is the file name a download of a package's archive (ext TarGzExt or ZipExt) is
// saved under.
func ArchiveName(profile, version, ext string) string {
	return ArchiveFolder(profile) + "-" + version + ext
}

// Platforms a download serves, as the landing page names them.
const (
	MacOS   = "macos"
	Linux   = "linux"
	Windows = "windows"
)

// Platforms lists them in the order the landing page shows them.
var Platforms = []string{MacOS, Linux, Windows}

// Latest is latest.json: the newest package `ccwb distribute --publish` uploaded.
type Latest struct {
	// Version is the package's version (VersionFile).
	Version string `json:"version"`
	// Profile is the package's profile (it names packages/<profile>/).
	Profile     string    `json:"profile"`
	PublishedAt time.Time `json:"published_at"`
	// LandingURL is the landing page, when the deployment has one ("" otherwise).
	LandingURL string `json:"landing_url,omitempty"`
	// Archives are the object keys of the archive for each platform (Platforms).
	Archives map[string]string `json:"archives"`
	// Sums is the object key of the package's SumsFile.
	Sums string `json:"sums"`
	// SignerFingerprint is the SHA256 fingerprint of the key that signed SumsFile ("" for
	// an unsigned package): the landing page shows it, for users to compare with what the
	// installer prints on first use.
	SignerFingerprint string `json:"signer_fingerprint,omitempty"`
}

// ParseLatest reads latest.json. Unknown fields are ignored, unlike the files people
// edit: a client must keep reading the latest.json of a newer ccwb.
func ParseLatest(data []byte) (*Latest, error) {
	var l Latest
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("parse %s: %w", LatestKey, err)
	}
	if strings.TrimSpace(l.Version) == "" {
		return nil, fmt.Errorf("parse %s: no version", LatestKey)
	}
	for p, key := range l.Archives {
		if !strings.HasPrefix(key, PackagePrefix) {
			return nil, fmt.Errorf("parse %s: archive for %s is %q, outside %s", LatestKey, p, key, PackagePrefix)
		}
	}
	return &l, nil
}

// Marshal writes latest.json.
func (l *Latest) Marshal() ([]byte, error) {
	return json.MarshalIndent(l, "", "  ")
}
