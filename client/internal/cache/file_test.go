package cache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFileStorePermissions(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "profile")
	if err := os.MkdirAll(dir, 0o755); err != nil { // left too open by someone
		t.Fatal(err)
	}
	s := NewFileStore(dir)
	if err := s.Put(KeyCredentials, []byte("{}")); err != nil {
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
	s := NewFileStore(t.TempDir())
	values := make([][]byte, 4)
	for i := range values {
		values[i] = bytes.Repeat([]byte{byte('a' + i)}, 64<<10)
	}
	if err := s.Put(KeyTokens, values[0]); err != nil {
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
				if err := s.Put(KeyTokens, values[i]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) {
		got, err := s.Get(KeyTokens)
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

func TestSessionDiscardsCorruptAndExpired(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	valid := fmt.Sprintf(`{"access_key_id":"A","secret_access_key":"S","session_token":"T","expiration":%q}`, now.Add(time.Hour).Format(time.RFC3339))
	tests := []struct {
		name, stored string
		wantOK       bool
		wantWarn     string
		wantRemoved  bool
	}{
		{"valid", valid, true, "", false},
		{"truncated JSON", valid[:20], false, "cached credentials was corrupt", true},
		{"missing fields", `{"access_key_id":"A"}`, false, "cached credentials was corrupt (missing fields)", true},
		{"expired", strings.Replace(valid, now.Add(time.Hour).Format(time.RFC3339), now.Add(-time.Minute).Format(time.RFC3339), 1), false, "", true},
		{"inside the safety margin", strings.Replace(valid, now.Add(time.Hour).Format(time.RFC3339), now.Add(Margin-time.Second).Format(time.RFC3339), 1), false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := NewFileStore(t.TempDir())
			if err := store.Put(KeyCredentials, []byte(tt.stored)); err != nil {
				t.Fatal(err)
			}
			var warn bytes.Buffer
			s := &Session{Store: store, Warn: &warn, Now: func() time.Time { return now }}
			_, ok := s.Credentials()
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if tt.wantWarn != "" && !strings.Contains(warn.String(), tt.wantWarn) || tt.wantWarn == "" && warn.Len() > 0 {
				t.Errorf("warning %q, want %q", warn.String(), tt.wantWarn)
			}
			_, err := store.Get(KeyCredentials)
			if removed := err == ErrNotFound; removed != tt.wantRemoved {
				t.Errorf("removed = %v, want %v", removed, tt.wantRemoved)
			}
		})
	}
}

func TestSessionRemovesExpiredTokensWithoutRefresh(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	store := NewFileStore(t.TempDir())
	s := &Session{Store: store, Now: func() time.Time { return now }}
	if err := s.SaveTokens(Tokens{IDToken: "a.b.c", IDExpiry: now.Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Tokens(); ok {
		t.Error("an expired ID token without a refresh token was returned")
	}
	if _, err := store.Get(KeyTokens); err != ErrNotFound {
		t.Errorf("the expired entry was not removed: %v", err)
	}
	if err := s.SaveTokens(Tokens{IDToken: "a.b.c", IDExpiry: now.Add(-time.Second), RefreshToken: "r"}); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Tokens(); !ok || got.RefreshToken != "r" {
		t.Error("an expired ID token with a refresh token must be kept for the refresh")
	}
}
