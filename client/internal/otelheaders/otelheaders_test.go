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
	"ccwb.dev/client/internal/store"
	"ccwb.dev/client/internal/token"
)

// fixed hands out the same tokens (or error) every time.
type fixed struct {
	tok token.Tokens
	err error
}

func (f fixed) Token(context.Context) (token.Tokens, error) { return f.tok, f.err }
func (fixed) Invalidate(context.Context) error              { return nil }

func id(raw string) fixed { return fixed{tok: token.Tokens{IDToken: raw}} }

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestWrite(t *testing.T) {
	future := time.Now().Add(time.Hour).Unix()
	idt := jwt(fmt.Sprintf(`{"sub":"s","email":"a@example.com","aud":"client-1","exp":%d}`, future))
	telemetry := jwt(fmt.Sprintf(`{"sub":"s","aud":"api://telemetry","exp":%d}`, future))
	tel := Telemetry{Audience: "api://telemetry", ClientID: "client-1"}
	for _, tc := range []struct {
		name       string
		src        token.Source
		tel        Telemetry
		wantStdout string // substring
		wantErr    string // "" for success
	}{
		{"first source wins", Chain{fixed{err: errors.New("no cache")}, id(idt)}, Telemetry{},
			`"x-user-email":"a@example.com"`, ""},
		{"every source fails", Chain{fixed{err: errors.New("no cached ID token")}, fixed{err: errors.New("login timed out")}}, Telemetry{}, "{}\n", "login timed out"},
		{"no source", Chain{}, Telemetry{}, "{}\n", "no token source"},
		{"not a JWT", id("opaque"), Telemetry{}, "{}\n", "not a JWT"},
		{"expired token", id(jwt(`{"sub":"s","exp":1000}`)), Telemetry{}, "{}\n", "expired"},
		{"telemetry token as bearer, ID token's claims", fixed{tok: token.Tokens{IDToken: idt, AccessToken: telemetry}}, tel,
			`"x-user-name":"a@example.com","Authorization":"Bearer ` + telemetry + `"`, ""},
		{"telemetry mode never sends the ID token", fixed{tok: token.Tokens{IDToken: idt, AccessToken: idt}}, tel, "{}\n", "includes the client ID client-1"},
		{"telemetry mode refuses a token of another audience", fixed{tok: token.Tokens{IDToken: idt, AccessToken: jwt(`{"aud":"other"}`)}}, tel, "{}\n", "not the telemetry audience"},
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

// session is a profile cache in a temporary directory, at a fixed time.
func session(t *testing.T, now time.Time, tok *token.Tokens) *cache.Session {
	s := &cache.Session{Store: store.Files{Dir: t.TempDir()}, Now: func() time.Time { return now }}
	if tok != nil {
		if err := s.SaveTokens(*tok); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// A cached telemetry token the collector would refuse (the package now names another
// audience) is dropped, and the credential process asked for a new one.
func TestRefusedCachedTokenIsDroppedAndRenewed(t *testing.T) {
	now := time.Now()
	exp := now.Add(time.Hour)
	idt := jwt(fmt.Sprintf(`{"sub":"s","aud":"client-1","exp":%d}`, exp.Unix()))
	old := jwt(fmt.Sprintf(`{"sub":"s","aud":"api://old","exp":%d}`, exp.Unix()))
	renewed := jwt(fmt.Sprintf(`{"sub":"s","aud":"api://telemetry","exp":%d}`, exp.Unix()))
	s := session(t, now, &token.Tokens{IDToken: idt, IDExpiry: exp, RefreshToken: "r", AccessToken: old, AccessExpiry: exp})
	tel := Telemetry{Audience: "api://telemetry", ClientID: "client-1"}
	src := Chain{Cached{Session: s, Need: token.ForCollector(tel.Audience)}, fixed{tok: token.Tokens{IDToken: idt, AccessToken: renewed}}}
	var out, errb bytes.Buffer
	if err := Write(context.Background(), src, tel, &out, &errb); err != nil || !strings.Contains(out.String(), "Bearer "+renewed) {
		t.Fatalf("Write = %v, stdout %q, stderr %q; want the renewed token", err, out.String(), errb.String())
	}
	if left, ok := s.Tokens(); !ok || left.AccessToken != "" || left.IDToken != "" || left.RefreshToken != "r" {
		t.Errorf("cache after the refusal: %+v, %v; want only the refresh token", left, ok)
	}
}

func TestCachedHonoursTheExpiryWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	inside := now.Add(cache.ExpiryWindow - time.Second)
	for _, tc := range []struct {
		name   string
		tokens *token.Tokens
		need   token.Need
		bearer string // "" when no tokens may be handed out
	}{
		{"nothing cached", nil, token.IDToken, ""},
		{"only a refresh token", &token.Tokens{RefreshToken: "r"}, token.IDToken, ""},
		{"expires inside the window", &token.Tokens{IDToken: "t", IDExpiry: inside}, token.IDToken, ""},
		{"valid", &token.Tokens{IDToken: "t", IDExpiry: now.Add(time.Hour)}, token.IDToken, "t"},
		{"telemetry: no access token", &token.Tokens{IDToken: "t", IDExpiry: now.Add(time.Hour)}, token.TelemetryToken, ""},
		{"telemetry: access token inside the window", &token.Tokens{IDToken: "t", IDExpiry: now.Add(time.Hour),
			AccessToken: "a", AccessExpiry: inside}, token.TelemetryToken, ""},
		{"telemetry: valid access token, expired ID token", &token.Tokens{IDToken: "t", IDExpiry: now.Add(-time.Hour),
			RefreshToken: "r", AccessToken: "a", AccessExpiry: now.Add(time.Hour)}, token.TelemetryToken, "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Cached{Session: session(t, now, tc.tokens), Need: tc.need}.Token(context.Background())
			if tc.bearer == "" && err == nil || tc.bearer != "" && (err != nil || got.Bearer(tc.need) != tc.bearer || got.IDToken != "t" || !got.Cached) {
				t.Errorf("Token = %+v, %v; want bearer %q", got, err, tc.bearer)
			}
		})
	}
}
