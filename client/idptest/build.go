package idptest

import (
	"fmt"
	"os"
	"os/exec"
)

// BuildBinaries builds the main packages pkgs as the packager ships them (static,
// CGO_ENABLED=0, -trimpath) into a new temporary directory and returns it; the caller
// removes it. For the TestMain of tests that run the real binaries.
func BuildBinaries(pkgs ...string) (string, error) {
	dir, err := os.MkdirTemp("", "ccwb-test-bin-")
	if err != nil {
		return "", err
	}
	build := exec.Command("go", append([]string{"build", "-trimpath", "-o", dir + string(os.PathSeparator)}, pkgs...)...)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("build %v: %w", pkgs, err)
	}
	return dir, nil
}
