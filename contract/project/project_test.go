package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, Marker), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(root, "cdk", "internal", "cli")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, start := range []string{root, deep} {
		if got, err := Root(start); err != nil || got != root {
			t.Errorf("Root(%s) = %s, %v; want %s", start, got, err, root)
		}
	}
}

func TestRootFromARelativeDirectory(t *testing.T) {
	// This package lives two levels below the repository root.
	want, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Root("."); err != nil || got != want {
		t.Fatalf("Root(.) = %s, %v; want %s", got, err, want)
	}
}

func TestNoRoot(t *testing.T) {
	dir := t.TempDir() // under the system's temporary directory: no cdk.json above
	_, err := Root(dir)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no cdk.json in "+dir+" or above") {
		t.Fatalf("Root(%s): %v, want ErrNotFound naming the directory", dir, err)
	}
}
