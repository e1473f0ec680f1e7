package packager

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/testenv"
)

// Build is what `ccwb package` runs: from the sources to a package and its archives, with
// progress for the person waiting and nothing else left in the dist directory.
func TestBuild(t *testing.T) {
	testenv.Slow(t, "cross-compiles the client")
	dist := t.TempDir()
	var progress bytes.Buffer
	pkg, err := Build(context.Background(), BuildOptions{
		ModuleDir: moduleDir(), Version: "1.0.0-test", Jobs: 2, Progress: &progress, Archive: true,
		Package: Options{Config: exampleConfig(t), Claude: exampleClaude, DistDir: dist, Now: fixed},
	})
	if err != nil {
		t.Fatal(err)
	}
	if pkg.Profile != "ClaudeCode" || pkg.Dir != filepath.Join(dist, "ClaudeCode", "20261128T120000Z") {
		t.Fatalf("package %s for profile %s", pkg.Dir, pkg.Profile)
	}
	for dir, want := range map[string][]string{
		dist:                              {"ClaudeCode"}, // the compile directory is gone
		filepath.Join(dist, "ClaudeCode"): {"20261128T120000Z", "20261128T120000Z.tar.gz", "20261128T120000Z.zip"},
	} {
		var got []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			got = append(got, e.Name())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s holds %v, want %v", dir, got, want)
		}
	}
	if pkg.TarGz != pkg.Dir+".tar.gz" || pkg.Zip != pkg.Dir+".zip" {
		t.Errorf("archives %s, %s", pkg.TarGz, pkg.Zip)
	}
	zr, err := zip.OpenReader(pkg.Zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if top := distribution.ArchiveFolder("ClaudeCode") + "/"; !strings.HasPrefix(f.Name, top) {
			t.Errorf("zip entry %s is outside the top folder %s", f.Name, top)
		}
	}
	for _, want := range []string{"cross-compiling the client (5 targets, 2 at a time)\n", "[5/5]"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
	}
}
