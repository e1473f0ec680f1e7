// Package collectortest builds and runs, for tests, an OpenTelemetry collector with the
// components of the deployed configuration (manifest.yaml), made with the collector builder
// (ocb) from the Go module proxy. The binary is cached under the repository's .cache/otelcol,
// keyed by the manifest's hash: the cold build happens once per manifest.
package collectortest

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"ccwb.dev/client/internal/lock"
	"ccwb.dev/contract/project"
)

//go:embed manifest.yaml
var manifest []byte

// Version is the collector release of manifest.yaml (dist.version), which is also the
// builder's version.
var Version = func() string {
	m := regexp.MustCompile(`(?m)^  version: (\S+)$`).FindSubmatch(manifest)
	if m == nil {
		panic("collectortest: manifest.yaml has no dist.version")
	}
	return string(m[1])
}()

// CacheDir is where built collectors are kept: <repo>/.cache/otelcol, or the user cache
// directory outside the repository.
func CacheDir() (string, error) {
	if root, err := project.Root("."); err == nil {
		return filepath.Join(root, ".cache", "otelcol"), nil
	}
	uc, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no repository root and no user cache directory: %w", err)
	}
	return filepath.Join(uc, "ccwb", "otelcol"), nil
}

// Built is a collector binary and what it cost to make.
type Built struct {
	Path      string
	BuildTime time.Duration // 0 when it came from the cache
}

// Build returns the collector of manifest.yaml, building it when the cache has none. Build
// logs go to log. Concurrent callers (other test processes) wait for one build.
func Build(ctx context.Context, log *os.File) (Built, error) {
	root, err := CacheDir()
	if err != nil {
		return Built{}, err
	}
	sum := sha256.Sum256(manifest)
	dir := filepath.Join(root, hex.EncodeToString(sum[:8]))
	bin := filepath.Join(dir, "otelcol")
	if _, err := os.Stat(bin); err == nil {
		return Built{Path: bin}, nil
	}
	release, err := lock.Acquire(ctx, dir+".lock")
	if err != nil {
		return Built{}, err
	}
	defer release()
	if _, err := os.Stat(bin); err == nil { // built while we waited
		return Built{Path: bin}, nil
	}
	start := time.Now()
	if err := build(ctx, dir, log); err != nil {
		return Built{}, err
	}
	return Built{Path: bin, BuildTime: time.Since(start)}, nil
}

// build generates the sources with ocb, resolves modules and compiles into dir/otelcol.
// ocb's own `go mod tidy` fails here: it also resolves the test imports of the fileexporter
// module, and one of those (otlpencodingextension) is not on the proxy. So ocb only writes
// the sources and go.mod, and `go mod tidy -e` resolves what the binary needs.
func build(ctx context.Context, dir string, log *os.File) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("create collector cache: %w", err)
	}
	work, err := os.MkdirTemp(filepath.Dir(dir), "build-")
	if err != nil {
		return fmt.Errorf("create build directory: %w", err)
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	m := bytes.Replace(manifest, []byte("dist:\n"), []byte("dist:\n  output_path: "+src+"\n"), 1)
	mpath := filepath.Join(work, "manifest.yaml")
	if err := os.WriteFile(mpath, m, 0o600); err != nil {
		return err
	}
	run := func(dir string, name string, args ...string) error {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
		}
		return nil
	}
	gen := run(work, "go", "run", "go.opentelemetry.io/collector/cmd/builder@v"+Version, "--config", mpath, "--skip-compilation")
	if _, err := os.Stat(filepath.Join(src, "go.mod")); err != nil {
		return errors.Join(fmt.Errorf("ocb wrote no go.mod in %s", src), gen)
	}
	if err := run(src, "go", "mod", "tidy", "-e"); err != nil {
		return err
	}
	out := filepath.Join(work, "otelcol")
	if err := run(src, "go", "build", "-trimpath", "-o", out, "."); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.Rename(out, filepath.Join(dir, "otelcol"))
}
