// Package lambdabuild builds a Go Lambda function from the workspace into a directory, as
// a provided.al2023 arm64 `bootstrap`, offline and without Docker. The build is
// deterministic (trimmed paths, no build ID, no VCS stamp), so the asset hash only changes
// when the code does.
package lambdabuild

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Build compiles the main package pkg (an import path in the workspace, e.g.
// "ccwb.dev/lambda/metrics-transform") into dir/bootstrap, creating dir. It runs `go
// build` in the current directory, which must be inside the repository's go.work.
func Build(pkg, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("build %s: %w", pkg, err)
	}
	out := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-tags", "lambda.norpc",
		"-ldflags", "-s -w -buildid=", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s for linux/arm64 (needs Go on PATH and the repository's go.work): %v\n%s", pkg, err, stderr.String())
	}
	return nil
}
