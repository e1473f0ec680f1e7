// Package crossbuild cross-compiles Go commands for several platforms, reproducibly: the
// same sources, toolchain and version give the same bytes on any machine.
package crossbuild

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Target is one GOOS/GOARCH pair.
type Target struct {
	GOOS, GOARCH string
}

func (t Target) String() string { return t.GOOS + "-" + t.GOARCH }

// Exe returns the executable file name of command name on this target.
func (t Target) Exe(name string) string {
	if t.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// Request says what to build.
type Request struct {
	// ModuleDir is the Go module holding the commands.
	ModuleDir string
	// Commands are package paths relative to ModuleDir, e.g. "./cmd/credential-process".
	Commands []string
	// Targets to build every command for.
	Targets []Target
	// Version is stamped into every VersionVar with -ldflags -X.
	Version    string
	VersionVar []string
	// OutDir receives <target>/<command>[.exe].
	OutDir string
	// Jobs bounds concurrent `go build` runs (default: the number of CPUs).
	Jobs int
	// Progress receives one line per started and finished target (nil: silent).
	Progress io.Writer
	// GoCommand is the go tool to run (default "go" from PATH).
	GoCommand string
	// ExtraEnv is appended to the build environment (e.g. GOWORK=off).
	ExtraEnv []string
}

// Flags returns the `go build` arguments that make a build reproducible and small:
// no file system paths, no VCS stamp, no symbol table or DWARF, the version stamped.
func (r Request) Flags() []string {
	ld := []string{"-s", "-w"}
	for _, v := range r.VersionVar {
		ld = append(ld, "-X", v+"="+r.Version)
	}
	return []string{"-trimpath", "-buildvcs=false", "-ldflags=" + strings.Join(ld, " ")}
}

// Env returns the environment of the build for t: cgo off (no C toolchain, no libc
// dependency) and the baseline CPU level, whatever the caller's environment says.
func Env(base []string, t Target) []string {
	override := map[string]string{
		"GOOS": t.GOOS, "GOARCH": t.GOARCH, "CGO_ENABLED": "0",
		"GOAMD64": "v1", "GOARM64": "v8.0", "GOFLAGS": "",
	}
	env := make([]string, 0, len(base)+len(override))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := override[k]; !ok {
			env = append(env, kv)
		}
	}
	for _, k := range []string{"GOOS", "GOARCH", "CGO_ENABLED", "GOAMD64", "GOARM64", "GOFLAGS"} {
		env = append(env, k+"="+override[k])
	}
	return env
}

// Build compiles every command for every target, at most Jobs targets at once, and
// returns the first error (each naming its target). One `go build` per target compiles
// all commands, so they share the compiled dependencies.
func Build(ctx context.Context, r Request) error {
	if len(r.Commands) == 0 || len(r.Targets) == 0 {
		return fmt.Errorf("crossbuild: nothing to build (%d commands, %d targets)", len(r.Commands), len(r.Targets))
	}
	jobs := r.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	goCmd := r.GoCommand
	if goCmd == "" {
		goCmd = "go"
	}
	progress := newProgress(r.Progress, len(r.Targets))
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	sem := make(chan struct{}, jobs)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for _, t := range r.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			progress.start(t)
			start := time.Now()
			err := buildTarget(ctx, goCmd, r, t)
			progress.done(t, time.Since(start), err)
			if err != nil {
				mu.Lock()
				// The first failure cancels the others; their "killed" errors are noise.
				if firstErr == nil && ctx.Err() == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return parent.Err()
}

func buildTarget(ctx context.Context, goCmd string, r Request, t Target) error {
	out := filepath.Join(r.OutDir, t.String())
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("build %s: %w", t, err)
	}
	args := append([]string{"build"}, r.Flags()...)
	// A trailing separator makes -o a directory even for a single command.
	args = append(args, "-o", out+string(filepath.Separator))
	args = append(args, r.Commands...)
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = r.ModuleDir
	cmd.Env = append(Env(os.Environ(), t), r.ExtraEnv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s (go %s in %s): %w\n%s", t, strings.Join(args, " "), r.ModuleDir, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// progress prints "[2/5] linux-arm64 built in 12.3s" lines; safe for concurrent use.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	total    int
	finished int
}

func newProgress(w io.Writer, total int) *progress { return &progress{w: w, total: total} }

func (p *progress) start(t Target) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "[%d/%d] building %s ...\n", p.finished, p.total, t)
}

func (p *progress) done(t Target, d time.Duration, err error) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	if err != nil {
		fmt.Fprintf(p.w, "[%d/%d] %s failed after %s\n", p.finished, p.total, t, d.Round(100*time.Millisecond))
		return
	}
	fmt.Fprintf(p.w, "[%d/%d] %s built in %s\n", p.finished, p.total, t, d.Round(100*time.Millisecond))
}
