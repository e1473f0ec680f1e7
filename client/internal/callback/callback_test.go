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
	// The listener is bound: a request made before Wait serves waits in its backlog.
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

// Any page the user visits can send the browser to the loopback callback: a request without
// this login's state gets an error page and does not end the wait; the real redirect that
// follows still signs in, and without one the wait ends only at the timeout.
func TestWaitIgnoresAnswersOfOtherLogins(t *testing.T) {
	for _, tc := range []struct {
		name     string
		queries  []string // sent in order
		wantCode string
		waiting  bool // nothing ends the wait before the timeout
		wantIdP  bool // ends with the IdP's error
	}{
		{"forged code, then the real one", []string{"code=evil&state=forged", "code=c1&state=st"}, "c1", false, false},
		{"no state, then the real one", []string{"code=evil", "code=c1&state=st"}, "c1", false, false},
		{"forged IdP error, then the real code", []string{"error=access_denied&state=forged", "code=c1&state=st"}, "c1", false, false},
		{"only forged answers", []string{"code=evil&state=forged", "error=access_denied"}, "", true, false},
		{"forged, then the IdP's own refusal", []string{"code=evil&state=x", "error=access_denied&state=st"}, "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Listen(0)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			base := strings.Replace(s.RedirectURL(), "localhost", "127.0.0.1", 1)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type result struct {
				code string
				err  error
			}
			done := make(chan result, 1)
			go func() { code, err := s.Wait(ctx, "st"); done <- result{code, err} }()
			for i, q := range tc.queries {
				resp, err := http.Get(base + "?" + q)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				foreign := !strings.Contains(q, "state=st")
				if foreign && (resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "was ignored")) {
					t.Errorf("request %d (%s): status %d, page %s; want 400 saying it was ignored", i, q, resp.StatusCode, body)
				}
				if foreign {
					select {
					case r := <-done:
						t.Fatalf("request %d (%s) ended the wait: %q, %v", i, q, r.code, r.err)
					default:
					}
				}
			}
			if tc.waiting {
				cancel() // stands in for the login timeout
			}
			r := <-done
			var idpErr *IdPError
			switch {
			case tc.wantIdP:
				if !errors.As(r.err, &idpErr) {
					t.Fatalf("Wait = %q, %v; want the IdP's error", r.code, r.err)
				}
			case tc.waiting:
				if !errors.Is(r.err, context.Canceled) {
					t.Fatalf("Wait = %q, %v; want it still waiting until the timeout", r.code, r.err)
				}
			case r.err != nil || r.code != tc.wantCode:
				t.Fatalf("Wait = %q, %v; want %q", r.code, r.err, tc.wantCode)
			}
		})
	}
}
