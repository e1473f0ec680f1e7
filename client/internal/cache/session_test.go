package cache

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/internal/store"
	"ccwb.dev/client/internal/token"
)

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
		{"inside the expiry window", strings.Replace(valid, now.Add(time.Hour).Format(time.RFC3339), now.Add(ExpiryWindow-time.Second).Format(time.RFC3339), 1), false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := store.Files{Dir: t.TempDir()}
			if err := files.Put(keyCredentials, []byte(tt.stored)); err != nil {
				t.Fatal(err)
			}
			var warn bytes.Buffer
			s := &Session{Store: files, Warn: &warn, Now: func() time.Time { return now }}
			_, ok := s.Credentials()
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if tt.wantWarn != "" && !strings.Contains(warn.String(), tt.wantWarn) || tt.wantWarn == "" && warn.Len() > 0 {
				t.Errorf("warning %q, want %q", warn.String(), tt.wantWarn)
			}
			_, err := files.Get(keyCredentials)
			if removed := err == store.ErrNotFound; removed != tt.wantRemoved {
				t.Errorf("removed = %v, want %v", removed, tt.wantRemoved)
			}
		})
	}
}

func TestSessionRemovesExpiredTokensWithoutRefresh(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	files := store.Files{Dir: t.TempDir()}
	s := &Session{Store: files, Now: func() time.Time { return now }}
	if err := s.SaveTokens(token.Tokens{IDToken: "a.b.c", IDExpiry: now.Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Tokens(); ok {
		t.Error("an expired ID token without a refresh token was returned")
	}
	if _, err := files.Get(keyTokens); err != store.ErrNotFound {
		t.Errorf("the expired entry was not removed: %v", err)
	}
	if err := s.SaveTokens(token.Tokens{IDToken: "a.b.c", IDExpiry: now.Add(-time.Second), RefreshToken: "r"}); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Tokens(); !ok || got.RefreshToken != "r" {
		t.Error("an expired ID token with a refresh token must be kept for the refresh")
	}
}

// The SSO token follows the same rule: an expired access token without a refresh token is
// removed, one with a refresh token kept, and an entry with neither discarded as corrupt.
func TestSessionRemovesExpiredSSOTokensWithoutRefresh(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	files := store.Files{Dir: t.TempDir()}
	var warn bytes.Buffer
	s := &Session{Store: files, Warn: &warn, Now: func() time.Time { return now }}
	for _, c := range []struct {
		stored SSOToken
		kept   bool
	}{
		{SSOToken{AccessToken: "at", Expiry: now.Add(-time.Second)}, false},
		{SSOToken{AccessToken: "at", Expiry: now.Add(-time.Second), RefreshToken: "r"}, true},
		{SSOToken{AccessToken: "at", Expiry: now.Add(time.Hour)}, true},
		{SSOToken{}, false},
	} {
		if err := s.SaveSSOToken(c.stored); err != nil {
			t.Fatal(err)
		}
		got, ok := s.SSOToken()
		if ok != c.kept || ok && (!got.Cached || got.RefreshToken != c.stored.RefreshToken) {
			t.Errorf("%+v: SSOToken = %+v, %v; want kept %v, marked Cached", c.stored, got, ok, c.kept)
		}
		if _, err := files.Get(keySSOToken); !c.kept && err != store.ErrNotFound {
			t.Errorf("%+v: the entry was not removed: %v", c.stored, err)
		}
	}
	if !strings.Contains(warn.String(), "cached sso-token was corrupt (no token)") {
		t.Errorf("the empty entry was not reported as corrupt: %q", warn.String())
	}
}

// corrupt is a store whose every value has lost a part (a keyring entry lost a chunk).
type corrupt struct {
	store.Files
}

func (corrupt) Get(string) ([]byte, error) {
	return nil, fmt.Errorf("%w: chunk 2 of 3 is missing", store.ErrCorrupt)
}

func TestSessionDiscardsWhatTheStoreCannotReadWhole(t *testing.T) {
	t.Parallel()
	files := store.Files{Dir: t.TempDir()}
	if err := files.Put(keyTokens, []byte(`{"id_token":"x"}`)); err != nil {
		t.Fatal(err)
	}
	var warn bytes.Buffer
	s := &Session{Store: corrupt{files}, Warn: &warn}
	if _, ok := s.Tokens(); ok {
		t.Fatal("a value with a missing part was trusted")
	}
	if !strings.Contains(warn.String(), "cached tokens was corrupt") || !strings.Contains(warn.String(), "chunk 2 of 3 is missing") {
		t.Errorf("warning %q does not say what was discarded and why", warn.String())
	}
	if _, err := files.Get(keyTokens); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the corrupt value was not removed: %v", err)
	}
}

// Caches written by earlier releases are read back: the stored format never changes.
func TestSessionReadsTheStoredFormat(t *testing.T) {
	t.Parallel()
	files := store.Files{Dir: t.TempDir()}
	for key, v := range map[string]string{
		keyCredentials: `{"access_key_id":"ASIA1","secret_access_key":"s","session_token":"t","expiration":"2030-01-02T03:04:05Z"}`,
		keyTokens:      `{"id_token":"i","id_token_expiry":"2030-01-02T03:04:05Z","refresh_token":"r","access_token":"a","access_token_expiry":"2030-01-02T03:04:06Z"}`,
	} {
		if err := files.Put(key, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	s := &Session{Store: files, Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if c, ok := s.Credentials(); !ok || c.AccessKeyID != "ASIA1" || c.SecretAccessKey != "s" || c.SessionToken != "t" || !c.Expires.Equal(exp) {
		t.Errorf("credentials %+v, %v", c, ok)
	}
	want := token.Tokens{IDToken: "i", IDExpiry: exp, RefreshToken: "r", AccessToken: "a", AccessExpiry: exp.Add(time.Second), Cached: true}
	if got, ok := s.Tokens(); !ok || got != want {
		t.Errorf("tokens %+v, %v; want %+v", got, ok, want)
	}
}
