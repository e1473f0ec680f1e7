package packager

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"
	"time"
)

func TestArchivesAreReproducibleAndComplete(t *testing.T) {
	bins := needCompiled(t)
	var archives [2][2][]byte
	var pkg *Package
	for i := range 2 {
		var err error
		pkg, err = Assemble(bins, Options{Config: exampleConfig(t), Claude: exampleClaude, DistDir: t.TempDir(), Now: fixed.Add(time.Duration(i) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		tgz, zp, err := pkg.Archive("claude-code-with-bedrock-ClaudeCode")
		if err != nil {
			t.Fatal(err)
		}
		archives[i][0], _ = os.ReadFile(tgz)
		archives[i][1], _ = os.ReadFile(zp)
	}
	if !bytes.Equal(archives[0][0], archives[1][0]) || !bytes.Equal(archives[0][1], archives[1][1]) {
		t.Fatal("archives of the same package differ")
	}

	// The tarball holds every file under the top folder, binaries and install.sh executable.
	gz, err := gzip.NewReader(bytes.NewReader(archives[0][0]))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	modes := map[string]int64{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		modes[h.Name] = h.Mode
	}
	if len(modes) != len(pkg.Files)+1 {
		t.Errorf("tarball has %d entries, want %d", len(modes), len(pkg.Files)+1)
	}
	for name, want := range map[string]int64{
		"claude-code-with-bedrock-ClaudeCode/install.sh":                         0o755,
		"claude-code-with-bedrock-ClaudeCode/bin/linux-arm64/credential-process": 0o755,
		"claude-code-with-bedrock-ClaudeCode/config.json":                        0o644,
		"claude-code-with-bedrock-ClaudeCode/SHA256SUMS":                         0o644,
	} {
		if modes[name] != want {
			t.Errorf("%s mode %o, want %o", name, modes[name], want)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(archives[0][1]), int64(len(archives[0][1])))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(pkg.Files)+1 {
		t.Errorf("zip has %d entries, want %d", len(zr.File), len(pkg.Files)+1)
	}
}
