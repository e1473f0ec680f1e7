package cache

import (
	"bytes"
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
	s := NewKeyringStore("roundtrip")
	long := bytes.Repeat([]byte("0123456789abcdef"), 500) // 8000 bytes: 4 chunks
	if err := s.Put(KeyTokens, long); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(KeyTokens)
	if err != nil || !bytes.Equal(got, long) {
		t.Fatalf("Get = %d bytes, %v; want the 8000 bytes written", len(got), err)
	}
	for i := 1; i <= 4; i++ {
		part, err := s.get(KeyTokens + "#" + string(rune('0'+i)))
		if err != nil || len(part) > 2560 {
			t.Errorf("chunk %d: %d bytes, %v; want under Windows' 2560-byte limit", i, len(part), err)
		}
	}
	short := []byte(`{"a":1}`)
	if err := s.Put(KeyTokens, short); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(KeyTokens); !bytes.Equal(got, short) {
		t.Errorf("overwrite: got %q", got)
	}
	if _, err := s.get(KeyTokens + "#1"); err != ErrNotFound {
		t.Errorf("a shorter value left the old chunks behind: %v", err)
	}
	if err := s.Delete(KeyTokens); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(KeyTokens); err != ErrNotFound {
		t.Errorf("after Delete: %v, want ErrNotFound", err)
	}
}

func TestKeyringMissingChunkIsCorrupt(t *testing.T) {
	useBus(t)
	s := NewKeyringStore("chunks")
	if err := s.Put(KeyTokens, bytes.Repeat([]byte("x"), 5000)); err != nil {
		t.Fatal(err)
	}
	if err := s.del(KeyTokens + "#2"); err != nil {
		t.Fatal(err)
	}
	var warn bytes.Buffer
	sess := &Session{Store: s, Warn: &warn}
	if _, ok := sess.Tokens(); ok {
		t.Fatal("a value with a missing chunk was trusted")
	}
	if !strings.Contains(warn.String(), "chunk 2 of 3 is missing") {
		t.Errorf("warning %q does not name the missing chunk", warn.String())
	}
	if _, err := s.get(KeyTokens); err != ErrNotFound {
		t.Errorf("the corrupt value was not removed: %v", err)
	}
}

func TestLockedKeyringFallsBackToFiles(t *testing.T) {
	env := idptest.SecretService(t)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	if err := NewKeyringStore("locked").Put(KeyCredentials, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	idptest.LockKeyring(t, env)
	if _, err := NewKeyringStore("locked").Get(KeyCredentials); err == nil {
		t.Fatal("the keyring is still readable after locking it")
	}
	var warn bytes.Buffer
	files := NewFileStore(t.TempDir())
	f := &Fallback{Primary: NewKeyringStore("locked"), Secondary: files, Warn: &warn}
	if err := f.Put(KeyTokens, []byte(`{"id_token":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := files.Get(KeyTokens); err != nil {
		t.Errorf("the value did not land in the files: %v", err)
	}
	if _, err := f.Get(KeyTokens); err != nil {
		t.Errorf("Get after fallback: %v", err)
	}
	if n := strings.Count(warn.String(), "keyring unavailable"); n != 1 {
		t.Errorf("%d fallback notes, want exactly 1: %q", n, warn.String())
	}
}
