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

func (f fixed) Tokens(context.Context) (Tokens, error) {
	return Tokens{IDToken: f.tok, Bearer: f.tok}, f.err
}

// pair is a source of an ID token and a separate bearer.
type pair Tokens

func (p pair) Tokens(context.Context) (Tokens, error) { return Tokens(p), nil }

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestWrite(t *testing.T) {
	future := time.Now().Add(time.Hour).Unix()
	id := jwt(fmt.Sprintf(`{"sub":"s","email":"a@example.com","aud":"client-1","exp":%d}`, future))
	telemetry := jwt(fmt.Sprintf(`{"sub":"s","aud":"api://telemetry","exp":%d}`, future))
	tel := Telemetry{Audience: "api://telemetry", ClientID: "client-1"}
	for _, tc := range []struct {
		name       string
		src        TokenSource
		tel        Telemetry
		wantStdout string // substring
		wantErr    string // "" for success
	}{
		{"first source wins", Chain{fixed{err: errors.New("no cache")}, fixed{tok: id}}, Telemetry{},
			`"x-user-email":"a@example.com"`, ""},
		{"every source fails", Chain{fixed{err: errors.New("no cached ID token")}, fixed{err: errors.New("login timed out")}}, Telemetry{}, "{}\n", "login timed out"},
		{"no source", Chain{}, Telemetry{}, "{}\n", "no token source"},
		{"not a JWT", fixed{tok: "opaque"}, Telemetry{}, "{}\n", "not a JWT"},
		{"expired token", fixed{tok: jwt(`{"sub":"s","exp":1000}`)}, Telemetry{}, "{}\n", "expired"},
		{"telemetry token as bearer, ID token's claims", pair{IDToken: id, Bearer: telemetry}, tel,
			`"x-user-name":"a@example.com","Authorization":"Bearer ` + telemetry + `"`, ""},
		{"telemetry mode never sends the ID token", pair{IDToken: id, Bearer: id}, tel, "{}\n", "includes the client ID client-1"},
		{"telemetry mode refuses a token of another audience", pair{IDToken: id, Bearer: jwt(`{"aud":"other"}`)}, tel, "{}\n", "not the telemetry audience"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := Write(context.Background(), tc.src, tc.tel, &out, &errb)
			if !strings.Contains(out.String(), tc.wantStdout) {
				t.Errorf("stdout %q lacks %q", out.String(), tc.wantStdout)
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(errb.String(), tc.wantErr)) {
				t.Errorf("err = %v, stderr %q, want %q", err, errb.String(), tc.wantErr)
			}
			if n := strings.Count(errb.String(), "\n"); n > 1 {
				t.Errorf("stderr has %d lines, want at most one: %q", n, errb.String())
			}
		})
	}
}

func TestCachedHonoursTheMargin(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		tokens    *cache.Tokens
		telemetry bool
		bearer    string // "" when no tokens may be handed out
	}{
		{"nothing cached", nil, false, ""},
		{"only a refresh token", &cache.Tokens{RefreshToken: "r"}, false, ""},
		{"expires inside the margin", &cache.Tokens{IDToken: "t", IDExpiry: now.Add(Margin / 2)}, false, ""},
		{"valid", &cache.Tokens{IDToken: "t", IDExpiry: now.Add(time.Hour)}, false, "t"},
		{"telemetry: no access token", &cache.Tokens{IDToken: "t", IDExpiry: now.Add(time.Hour)}, true, ""},
		{"telemetry: access token inside the margin", &cache.Tokens{IDToken: "t", IDExpiry: now.Add(time.Hour),
			AccessToken: "a", AccessExpiry: now.Add(Margin / 2)}, true, ""},
		{"telemetry: valid access token, expired ID token", &cache.Tokens{IDToken: "t", IDExpiry: now.Add(-time.Hour),
			RefreshToken: "r", AccessToken: "a", AccessExpiry: now.Add(time.Hour)}, true, "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &cache.Session{Store: cache.NewFileStore(t.TempDir()), Now: func() time.Time { return now }}
			if tc.tokens != nil {
				if err := s.SaveTokens(*tc.tokens); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Cached{Session: s, Telemetry: tc.telemetry, Now: func() time.Time { return now }}.Tokens(context.Background())
			if tc.bearer == "" && err == nil || tc.bearer != "" && (err != nil || got.Bearer != tc.bearer || got.IDToken != "t") {
				t.Errorf("Tokens = %+v, %v; want bearer %q", got, err, tc.bearer)
			}
		})
	}
}
