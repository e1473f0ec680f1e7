package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"ccwb.dev/client/idptest"
)

// useBus points this process's keyring calls at a private Secret Service. Not parallel: the
// bus address is process environment.
func useBus(t *testing.T) {
	for _, kv := range idptest.SecretService(t) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

func TestKeyringStoreRoundTripsLongValues(t *testing.T) {
	useBus(t)
	s := NewKeyring("roundtrip")
	long := bytes.Repeat([]byte("0123456789abcdef"), 500) // 8000 bytes: 4 chunks
	if err := s.Put("tokens", long); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get("tokens")
	if err != nil || !bytes.Equal(got, long) {
		t.Fatalf("Get = %d bytes, %v; want the 8000 bytes written", len(got), err)
	}
	for i := 1; i <= 4; i++ {
		part, err := s.get("tokens#" + string(rune('0'+i)))
		if err != nil || len(part) > 2560 {
			t.Errorf("chunk %d: %d bytes, %v; want under Windows' 2560-byte limit", i, len(part), err)
		}
	}
	short := []byte(`{"a":1}`)
	if err := s.Put("tokens", short); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get("tokens"); !bytes.Equal(got, short) {
		t.Errorf("overwrite: got %q", got)
	}
	if _, err := s.get("tokens" + "#1"); err != ErrNotFound {
		t.Errorf("a shorter value left the old chunks behind: %v", err)
	}
	if err := s.Delete("tokens"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("tokens"); err != ErrNotFound {
		t.Errorf("after Delete: %v, want ErrNotFound", err)
	}
}

func TestKeyringMissingChunkIsCorrupt(t *testing.T) {
	useBus(t)
	s := NewKeyring("chunks")
	if err := s.Put("tokens", bytes.Repeat([]byte("x"), 5000)); err != nil {
		t.Fatal(err)
	}
	if err := s.del("tokens#2"); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get("tokens")
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "chunk 2 of 3 is missing") {
		t.Fatalf("Get of a value with a missing chunk = %v, want ErrCorrupt naming the chunk", err)
	}
}

func TestLockedKeyringFallsBackToFiles(t *testing.T) {
	env := idptest.SecretService(t)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	if err := NewKeyring("locked").Put("credentials", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	idptest.LockKeyring(t, env)
	if _, err := NewKeyring("locked").Get("credentials"); err == nil {
		t.Fatal("the keyring is still readable after locking it")
	}
	var warn bytes.Buffer
	files := Files{Dir: t.TempDir()}
	f := &Fallback{Primary: NewKeyring("locked"), Secondary: files, Warn: &warn}
	if err := f.Put("tokens", []byte(`{"id_token":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := files.Get("tokens"); err != nil {
		t.Errorf("the value did not land in the files: %v", err)
	}
	if _, err := f.Get("tokens"); err != nil {
		t.Errorf("Get after fallback: %v", err)
	}
	if n := strings.Count(warn.String(), "keyring unavailable"); n != 1 {
		t.Errorf("%d fallback notes, want exactly 1: %q", n, warn.String())
	}
}
