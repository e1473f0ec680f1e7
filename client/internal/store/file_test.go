package store

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestFileStorePermissions(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "profile")
	if err := os.MkdirAll(dir, 0o755); err != nil { // left too open by someone
		t.Fatal(err)
	}
	s := Files{Dir: dir}
	if err := s.Put("credentials", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(filepath.Join(dir, "credentials.json")); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// Readers racing writers always see one whole value, never a mix or a truncated file.
func TestFileStoreWritesAtomically(t *testing.T) {
	t.Parallel()
	s := Files{Dir: t.TempDir()}
	values := make([][]byte, 4)
	for i := range values {
		values[i] = bytes.Repeat([]byte{byte('a' + i)}, 64<<10)
	}
	if err := s.Put("tokens", values[0]); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range values {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := s.Put("tokens", values[i]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for range 2000 {
		got, err := s.Get("tokens")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 64<<10 || bytes.Count(got, got[:1]) != len(got) {
			t.Fatalf("read a torn value: %d bytes starting %q", len(got), got[:min(8, len(got))])
		}
	}
	close(stop)
	wg.Wait()
}
