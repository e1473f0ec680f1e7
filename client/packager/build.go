package packager

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"

	"ccwb.dev/contract/distribution"
)

// BuildOptions describe a package built from the client sources: what `ccwb package` does.
type BuildOptions struct {
	// ModuleDir is the client module (client/ of the ccwb repository).
	ModuleDir string
	// Version is stamped into every client binary.
	Version string
	// Jobs bounds the targets compiled at once (default: the number of CPUs).
	Jobs int
	// Progress receives what the build is doing, for a person to read (nil: silent).
	Progress io.Writer
	// Package says what the package holds and where it goes (Package.DistDir).
	Package Options
	// Archive also writes the package as <dir>.tar.gz and <dir>.zip (Package.Archive), with
	// one top folder, distribution.ArchiveFolder.
	Archive bool
}

// Build cross-compiles the client for every target into a temporary directory under the
// dist directory (removed afterwards), assembles the package from it and, when asked,
// archives it.
func Build(ctx context.Context, o BuildOptions) (*Package, error) {
	if err := os.MkdirAll(o.Package.DistDir, 0o755); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	tmp, err := os.MkdirTemp(o.Package.DistDir, ".compile-")
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	defer os.RemoveAll(tmp)
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "cross-compiling the client (%d targets, %d at a time)\n", len(Targets), o.Jobs)
	}
	bins, err := Compile(ctx, CompileOptions{ModuleDir: o.ModuleDir, Version: o.Version, OutDir: tmp, Jobs: o.Jobs, Progress: o.Progress})
	if err != nil {
		return nil, err
	}
	pkg, err := Assemble(bins, o.Package)
	if err != nil {
		return nil, err
	}
	if o.Package.Signer != nil {
		if err := notarize(ctx, o.Package.Signer, pkg); err != nil {
			return nil, err
		}
	}
	if o.Archive {
		if pkg.TarGz, pkg.Zip, err = pkg.Archive(distribution.ArchiveFolder(pkg.Profile)); err != nil {
			return nil, fmt.Errorf("package: archive %s: %w", pkg.Dir, err)
		}
	}
	return pkg, nil
}
