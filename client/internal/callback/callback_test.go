package callback

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		wantCode string
		wantErr  string
	}{
		{"code with matching state", "code=abc&state=s1", "abc", ""},
		{"wrong state", "code=abc&state=s2", "", "state mismatch"},
		{"missing state", "code=abc", "", "state mismatch"},
		{"idp error", "error=access_denied&error_description=User+not+assigned&state=s1", "", "refused the login: access_denied (User not assigned); ask your administrator"},
		{"idp error with wrong state", "error=access_denied&state=zz", "", "state mismatch"},
		{"no code", "state=s1", "", "no authorization code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			code, err := ParseQuery(q, "s1")
			if code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add("code=abc&state=s1", "s1")
	f.Add("error=x&error_description=%3Cscript%3E&state=s1", "s1")
	f.Add("state=&code=", "")
	f.Fuzz(func(t *testing.T, raw, state string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		code, err := ParseQuery(q, state)
		if err == nil && (code == "" || state == "" || q.Get("state") != state || q.Get("error") != "") {
			t.Fatalf("accepted %q with state %q: code %q", raw, state, code)
		}
		if err != nil && code != "" {
			t.Fatalf("returned code %q with error %v", code, err)
		}
	})
}

func TestServerAnswersOnlyCallback(t *testing.T) {
	s, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.RedirectURL(), "http://localhost:") || !strings.HasSuffix(s.RedirectURL(), "/callback") {
		t.Fatalf("redirect URL %q", s.RedirectURL())
	}
	base := strings.Replace(s.RedirectURL(), "localhost", "127.0.0.1", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan error, 1)
	var code string
	go func() {
		var err error
		code, err = s.Wait(ctx, "st")
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	resp, err := http.Get(strings.TrimSuffix(base, "/callback") + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("favicon: status %d, want 404", resp.StatusCode)
	}
	resp, err = http.Get(base + "?code=c1&state=st")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "You are signed in") {
		t.Errorf("success page: %s", body)
	}
	if err := <-got; err != nil || code != "c1" {
		t.Fatalf("Wait = %q, %v", code, err)
	}
}

func TestServerShowsIdPErrorEscaped(t *testing.T) {
	s, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := strings.Replace(s.RedirectURL(), "localhost", "127.0.0.1", 1)
	got := make(chan error, 1)
	go func() { _, err := s.Wait(context.Background(), "st"); got <- err }()
	time.Sleep(50 * time.Millisecond)
	resp, err := http.Get(base + "?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=st")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(string(body), "<b>no</b>") || !strings.Contains(string(body), "access_denied") {
		t.Errorf("failure page: status %d body %s", resp.StatusCode, body)
	}
	var idpErr *IdPError
	if err := <-got; !errors.As(err, &idpErr) || idpErr.Code != "access_denied" {
		t.Fatalf("Wait error = %v, want IdPError access_denied", err)
	}
}

func TestListenPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	_, err = Listen(port)
	if err == nil || !strings.Contains(err.Error(), "in use by another program") || !strings.Contains(err.Error(), "callback_port") {
		t.Fatalf("Listen on a taken port: %v", err)
	}
}

func TestWaitTimesOut(t *testing.T) {
	s, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Wait(ctx, "st"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v, want deadline exceeded", err)
	}
}
