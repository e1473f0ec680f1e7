// Package packager builds the end-user package of a deployment: the client binaries for
// macOS (one universal binary), Linux and Windows, the end-user config.json, the Claude
// Code settings (per user, and managed settings for MDM), the installers and a README, with
// SHA256SUMS over all of it. The same
// inputs give the same bytes.
package packager

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"ccwb.dev/client/install"
	"ccwb.dev/client/packager/crossbuild"
	"ccwb.dev/client/packager/macho"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
)

// Commands of the client module that go into a package. The otel-helper is optional:
// it joins the package when its sources exist.
var (
	RequiredCommands = []string{install.CredentialProcessName, install.SetupName}
	OptionalCommands = []string{install.OtelHelperName}
)

// Targets are the platforms a package serves; both darwin slices end up in one
// universal binary.
var Targets = []crossbuild.Target{
	{GOOS: "darwin", GOARCH: "amd64"},
	{GOOS: "darwin", GOARCH: "arm64"},
	{GOOS: "linux", GOARCH: "amd64"},
	{GOOS: "linux", GOARCH: "arm64"},
	{GOOS: "windows", GOARCH: "amd64"},
}

// Platform directories under bin/ in the package, as install.sh and install.ps1 pick them.
const (
	PlatformMac = "darwin-universal"
)

// VersionVar is the variable every client command stamps its version into.
const VersionVar = "main.version"

// CompileOptions say where the client sources are and how to build them.
type CompileOptions struct {
	// ModuleDir is the client module (the directory holding client/go.mod).
	ModuleDir string
	Version   string
	// OutDir receives <goos>-<goarch>/<command>[.exe].
	OutDir   string
	Jobs     int
	Progress io.Writer
	// Env is added to the build environment (e.g. GOCACHE for a cold build).
	Env []string
}

// Binaries are compiled commands, ready to assemble.
type Binaries struct {
	Dir      string
	Commands []string
	// Version is the version stamped into them; the package records it (VersionFile).
	Version string
}

// Compile cross-compiles the client commands for every target.
func Compile(ctx context.Context, o CompileOptions) (*Binaries, error) {
	cmds := append([]string(nil), RequiredCommands...)
	for _, c := range RequiredCommands {
		if _, err := os.Stat(filepath.Join(o.ModuleDir, "cmd", c)); err != nil {
			return nil, fmt.Errorf("client sources: %s has no cmd/%s: give the client module directory (client/ of the ccwb repository)", o.ModuleDir, c)
		}
	}
	for _, c := range OptionalCommands {
		if _, err := os.Stat(filepath.Join(o.ModuleDir, "cmd", c, "main.go")); err == nil {
			cmds = append(cmds, c)
		}
	}
	pkgs := make([]string, len(cmds))
	for i, c := range cmds {
		pkgs[i] = "./cmd/" + c
	}
	err := crossbuild.Build(ctx, crossbuild.Request{
		ModuleDir:  o.ModuleDir,
		Commands:   pkgs,
		Targets:    Targets,
		Version:    o.Version,
		VersionVar: []string{VersionVar},
		OutDir:     o.OutDir,
		Jobs:       o.Jobs,
		Progress:   o.Progress,
		ExtraEnv:   o.Env,
	})
	if err != nil {
		return nil, err
	}
	return &Binaries{Dir: o.OutDir, Commands: cmds, Version: o.Version}, nil
}

// Options describe one package.
type Options struct {
	// Config is the end-user config.json.
	Config *config.File
	// Profile is the profile Claude Code uses (AWS_PROFILE); default: the config's
	// default profile, or its only one. It also names dist/<profile>/.
	Profile string
	// Claude are the Claude Code settings that do not come from the config.
	Claude Claude
	// DistDir is the root of the packages: the package goes to <DistDir>/<profile>/<time>/.
	DistDir string
	// Now stamps the package directory (not its contents).
	Now time.Time
	// Signer signs the binaries and SHA256SUMS; nil builds a package marked UNSIGNED.
	Signer Signer
}

// Package is a built package.
type Package struct {
	Dir string
	// Profile is the profile the package serves (it names dist/<profile>/).
	Profile string
	// Files are every file of the package but SHA256SUMS, sorted by path (slash-separated).
	Files []File
	// TarGz and Zip are the archives Build wrote when asked to ("" otherwise).
	TarGz, Zip string
	// Version is the package's version (its VERSION file).
	Version string
	// Signatures are the files outside SHA256SUMS beside it: SHA256SUMS.sig and
	// allowed_signers in a signed package, none otherwise.
	Signatures []string
}

// File is one file of a package.
type File struct {
	Path   string
	Size   int64
	SHA256 string
}

// Assemble writes a package from compiled binaries. It builds in a temporary directory
// beside the target and renames it into place, so a package directory is always whole.
func Assemble(bins *Binaries, o Options) (*Package, error) {
	if o.Config == nil {
		return nil, errors.New("package: no config")
	}
	if err := o.Config.Validate(); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	name, profile, err := o.Config.Profile(o.Profile)
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	if strings.ContainsAny(name, `/\ "'`+"\n") {
		return nil, fmt.Errorf("package: profile name %q cannot hold spaces, quotes or slashes (it names a directory and an AWS CLI profile)", name)
	}
	parent := filepath.Join(o.DistDir, name)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".building-")
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	defer os.RemoveAll(tmp)

	files, err := contents(bins, o, name, profile)
	if err != nil {
		return nil, err
	}
	pkg := &Package{Profile: name, Version: bins.Version}
	var sums bytes.Buffer
	for _, f := range files {
		path := filepath.Join(tmp, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("package: %w", err)
		}
		if err := os.WriteFile(path, f.data, f.mode); err != nil {
			return nil, fmt.Errorf("package: write %s: %w", f.path, err)
		}
		sum := sha256.Sum256(f.data)
		pkg.Files = append(pkg.Files, File{Path: f.path, Size: int64(len(f.data)), SHA256: hex.EncodeToString(sum[:])})
		fmt.Fprintf(&sums, "%x  %s\n", sum, f.path)
	}
	if err := os.WriteFile(filepath.Join(tmp, distribution.SumsFile), sums.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	sigs, err := o.signatureFiles(sums.Bytes())
	if err != nil {
		return nil, err
	}
	for _, f := range sigs {
		if err := os.WriteFile(filepath.Join(tmp, f.path), f.data, f.mode); err != nil {
			return nil, fmt.Errorf("package: %w", err)
		}
		pkg.Signatures = append(pkg.Signatures, f.path)
	}
	pkg.Dir = filepath.Join(parent, o.Now.UTC().Format("20060102T150405Z"))
	if _, err := os.Stat(pkg.Dir); err == nil {
		return nil, fmt.Errorf("package: %s already exists; wait a second or remove it", pkg.Dir)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	if err := os.Rename(tmp, pkg.Dir); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	return pkg, nil
}

type file struct {
	path string
	data []byte
	mode fs.FileMode
}

// contents returns every file of the package but SHA256SUMS, sorted by path.
func contents(bins *Binaries, o Options, name string, profile config.Profile) ([]file, error) {
	var files []file
	for _, cmd := range bins.Commands {
		thin := make([][]byte, 0, 2)
		for _, t := range Targets {
			data, err := os.ReadFile(filepath.Join(bins.Dir, t.String(), t.Exe(cmd)))
			if err != nil {
				return nil, fmt.Errorf("package: compiled %s for %s: %w", cmd, t, err)
			}
			if data, err = o.sign(t.GOOS, t.Exe(cmd), data); err != nil {
				return nil, err
			}
			if t.GOOS == "darwin" {
				thin = append(thin, data)
				continue
			}
			files = append(files, file{"bin/" + t.String() + "/" + t.Exe(cmd), data, 0o755})
		}
		var fat bytes.Buffer
		if err := macho.Universal(&fat, thin...); err != nil {
			return nil, fmt.Errorf("package: %s for macOS: %w", cmd, err)
		}
		files = append(files, file{"bin/" + PlatformMac + "/" + cmd, fat.Bytes(), 0o755})
	}
	cfg, err := o.Config.Marshal()
	if err != nil {
		return nil, fmt.Errorf("package: config.json: %w", err)
	}
	files = append(files, file{config.FileName, cfg, 0o644})
	if strings.ContainsAny(bins.Version, " \t\r\n/\\") || bins.Version == "" {
		return nil, fmt.Errorf("package: version %q must be one word without slashes (it names the package in the distribution bucket)", bins.Version)
	}
	files = append(files, file{distribution.VersionFile, []byte(bins.Version + "\n"), 0o644})
	if o.Signer == nil {
		files = append(files, file{distribution.UnsignedFile, []byte(unsignedNotice), 0o644})
	}
	hasHelper := slices.Contains(bins.Commands, install.OtelHelperName)
	settings, err := claudeSettings(o.Claude, name, profile, hasHelper)
	if err != nil {
		return nil, err
	}
	files = append(files, file{install.ClaudeSettingsFile, settings, 0o644})
	managed, err := managedFiles(o.Claude, name, profile, hasHelper)
	if err != nil {
		return nil, err
	}
	files = append(files, managed...)
	td := templateData{Profile: name, Config: profile, Claude: o.Claude, Monitoring: profile.OTelEndpoint != "", OtelHelper: hasHelper, Signed: o.Signer != nil}
	if o.Signer != nil {
		td.Thumbprint = o.Signer.Thumbprint()
	}
	docs, err := render(td)
	if err != nil {
		return nil, err
	}
	files = append(files, docs...)
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, nil
}
