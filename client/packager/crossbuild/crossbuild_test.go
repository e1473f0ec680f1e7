package crossbuild

import (
	"bytes"
	"context"
	"debug/pe"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/contract/testenv"
)

func hello(t *testing.T, out string) Request {
	t.Helper()
	return Request{
		ModuleDir:  "testdata/hello",
		Commands:   []string{"./cmd/hello"},
		Targets:    []Target{{runtime.GOOS, runtime.GOARCH}, {"windows", "amd64"}},
		Version:    "1.2.3-test",
		VersionVar: []string{"main.version"},
		OutDir:     out,
		Jobs:       2,
		ExtraEnv:   []string{"GOWORK=off"}, // testdata is outside the workspace
	}
}

func TestBuildStampsVersionAndIsReproducible(t *testing.T) {
	testenv.Slow(t, "compiles for two platforms, twice")
	one, two := t.TempDir(), t.TempDir()
	var progress bytes.Buffer
	r := hello(t, one)
	r.Progress = &progress
	if err := Build(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	// The second build as on another machine: the sources in another directory and an empty
	// build cache of its own, so it compiles everything again (a shared cache would only
	// relink the first build's objects).
	again := hello(t, two)
	again.ModuleDir = t.TempDir()
	if err := os.CopyFS(again.ModuleDir, os.DirFS(r.ModuleDir)); err != nil {
		t.Fatal(err)
	}
	again.ExtraEnv = append(again.ExtraEnv, "GOCACHE="+t.TempDir())
	if err := Build(context.Background(), again); err != nil {
		t.Fatal(err)
	}
	native := Target{runtime.GOOS, runtime.GOARCH}
	got, err := exec.Command(filepath.Join(one, native.String(), native.Exe("hello"))).Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(got)) != "1.2.3-test" {
		t.Errorf("built binary prints %q, want the stamped version", got)
	}
	for _, tg := range r.Targets {
		a, err := os.ReadFile(filepath.Join(one, tg.String(), tg.Exe("hello")))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(two, tg.String(), tg.Exe("hello")))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two builds, from other directories with other build caches, differ", tg)
		}
		if bytes.Contains(a, []byte(one)) || bytes.Contains(b, []byte(again.ModuleDir)) {
			t.Errorf("%s: binary contains a build or source directory path", tg)
		}
	}
	exe, err := pe.Open(filepath.Join(one, "windows-amd64", "hello.exe"))
	if err != nil {
		t.Fatalf("windows binary is not PE: %v", err)
	}
	exe.Close()
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[3], "[2/2] ") {
		t.Errorf("progress = %q, want a start and a finish line per target ending in [2/2]", progress.String())
	}
}

func TestBuildReportsTheFailingTarget(t *testing.T) {
	r := hello(t, t.TempDir())
	r.Commands = []string{"./cmd/missing"}
	r.Targets = []Target{{"linux", "arm64"}}
	err := Build(context.Background(), r)
	if err == nil || !strings.Contains(err.Error(), "build linux-arm64") || !strings.Contains(err.Error(), "cmd/missing") {
		t.Fatalf("error = %v, want one naming the target and the package", err)
	}
}

func TestEnvOverridesTheCallersBuildSettings(t *testing.T) {
	env := Env([]string{"HOME=/h", "GOOS=plan9", "CGO_ENABLED=1", "GOAMD64=v3", "GOFLAGS=-race"}, Target{"darwin", "arm64"})
	for _, want := range []string{"HOME=/h", "GOOS=darwin", "GOARCH=arm64", "CGO_ENABLED=0", "GOAMD64=v1", "GOFLAGS="} {
		if !slices.Contains(env, want) {
			t.Errorf("env lacks %s: %v", want, env)
		}
	}
	for _, bad := range []string{"GOOS=plan9", "CGO_ENABLED=1", "GOAMD64=v3", "GOFLAGS=-race"} {
		if slices.Contains(env, bad) {
			t.Errorf("env keeps the caller's %s", bad)
		}
	}
}
