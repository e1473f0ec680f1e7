package lambdabuild

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"testing"
)

func TestBuildIsDeterministicArm64(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := Build("ccwb.dev/lambda/metrics-transform", dir); err != nil {
			t.Fatal(err)
		}
	}
	ba, _ := os.ReadFile(filepath.Join(a, "bootstrap"))
	bb, _ := os.ReadFile(filepath.Join(b, "bootstrap"))
	if len(ba) == 0 || !bytes.Equal(ba, bb) {
		t.Fatalf("two builds differ (%d and %d bytes): the asset hash would change on every synth", len(ba), len(bb))
	}
	f, err := elf.Open(filepath.Join(a, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 || f.Type != elf.ET_EXEC {
		t.Errorf("bootstrap is %v %v, want a static arm64 executable", f.Machine, f.Type)
	}
	if f.Section(".interp") != nil {
		t.Error("bootstrap is dynamically linked; provided.al2023 needs CGO_ENABLED=0")
	}
	if err := Build("ccwb.dev/lambda/no-such-function", t.TempDir()); err == nil {
		t.Error("building a missing package succeeded")
	}
}
