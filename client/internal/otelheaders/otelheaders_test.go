package otelheaders

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/internal/cache"
)

type fixed struct {
	tok string
	err error
}

func (f fixed) IDToken(context.Context) (string, error) { return f.tok, f.err }

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestWrite(t *testing.T) {
	future := time.Now().Add(time.Hour).Unix()
	for _, tc := range []struct {
		name       string
		src        TokenSource
		wantStdout string // substring
		wantErr    string // "" for success
	}{
		{"first source wins", Chain{fixed{err: errors.New("no cache")}, fixed{tok: jwt(fmt.Sprintf(`{"sub":"s","email":"a@example.com","exp":%d}`, future))}},
			`"x-user-email":"a@example.com"`, ""},
		{"every source fails", Chain{fixed{err: errors.New("no cached ID token")}, fixed{err: errors.New("login timed out")}}, "{}\n", "login timed out"},
		{"no source", Chain{}, "{}\n", "no token source"},
		{"not a JWT", fixed{tok: "opaque"}, "{}\n", "not a JWT"},
		{"expired token", fixed{tok: jwt(`{"sub":"s","exp":1000}`)}, "{}\n", "expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := Write(context.Background(), tc.src, &out, &errb)
			if !strings.Contains(out.String(), tc.wantStdout) {
				t.Errorf("stdout %q lacks %q", out.String(), tc.wantStdout)
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(errb.String(), tc.wantErr)) {
				t.Errorf("err = %v, stderr %q, want %q", err, errb.String(), tc.wantErr)
			}
		})
	}
}

func TestCachedHonoursTheMargin(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		tokens *cache.Tokens
		ok     bool
	}{
		{"nothing cached", nil, false},
		{"only a refresh token", &cache.Tokens{RefreshToken: "r"}, false},
		{"expires inside the margin", &cache.Tokens{IDToken: "t", IDExpiry: now.Add(Margin / 2)}, false},
		{"valid", &cache.Tokens{IDToken: "t", IDExpiry: now.Add(time.Hour)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &cache.Session{Store: cache.NewFileStore(t.TempDir()), Now: func() time.Time { return now }}
			if tc.tokens != nil {
				if err := s.SaveTokens(*tc.tokens); err != nil {
					t.Fatal(err)
				}
			}
			tok, err := Cached{Session: s, Now: func() time.Time { return now }}.IDToken(context.Background())
			if (err == nil) != tc.ok || tc.ok && tok != "t" {
				t.Errorf("IDToken = %q, %v; want ok=%v", tok, err, tc.ok)
			}
		})
	}
}
