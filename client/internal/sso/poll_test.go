package sso

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// scripted answers CreateToken with one error code after another ("" is the token), and
// records when each poll came (in the bubble's time).
type scripted struct {
	mu      sync.Mutex
	answers []string
	polls   []time.Duration
	start   time.Time
}

func (s *scripted) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.polls = append(s.polls, time.Since(s.start))
	code := "AuthorizationPendingException"
	if len(s.answers) > 0 {
		code, s.answers = s.answers[0], s.answers[1:]
	}
	rec := httptest.NewRecorder()
	if code == "" {
		writeJSON(rec, 200, `{"accessToken":"at","expiresIn":3600,"refreshToken":"rt","tokenType":"Bearer"}`)
	} else {
		writeJSON(rec, 400, `{"__type":"`+code+`","error":"x","error_description":"`+code+`"}`)
	}
	return rec.Result(), nil
}

func writeJSON(w *httptest.ResponseRecorder, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.WriteString(body)
}

func TestPoll(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers []string
		expires time.Duration
		want    string // "" for the token
		polls   []time.Duration
	}{
		{"approved on the third poll", []string{"AuthorizationPendingException", "AuthorizationPendingException", ""}, time.Minute, "", []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}},
		{"slow_down adds 5 s for good", []string{"SlowDownException", "AuthorizationPendingException", ""}, time.Minute, "", []time.Duration{time.Second, 7 * time.Second, 13 * time.Second}},
		{"denied", []string{"AuthorizationPendingException", "AccessDeniedException"}, time.Minute, "the sign-in was declined", nil},
		{"expired at the service", []string{"ExpiredTokenException"}, time.Minute, "the code expired", nil},
		{"nobody enters the code", nil, 5 * time.Second, "the code expired", nil},
		{"the client was refused", []string{"InvalidClientException"}, time.Minute, "no longer accepts this computer's registration", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &scripted{answers: tc.answers, start: time.Now()}
				api := &API{Region: "eu-west-1", HTTP: &http.Client{Transport: s}}
				ctx, cancel := context.WithTimeout(context.Background(), tc.expires)
				defer cancel()
				tok, err := poll(ctx, api, TokenInput{ClientID: "c", ClientSecret: "s", GrantType: GrantDeviceCode, DeviceCode: "d"}, 1)
				switch {
				case tc.want == "" && (err != nil || tok.AccessToken != "at"):
					t.Fatalf("poll = %+v, %v; want the token", tok, err)
				case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
					t.Fatalf("poll: %v, want %q", err, tc.want)
				}
				if tc.polls != nil && !slices.Equal(s.polls, tc.polls) {
					t.Errorf("polled at %v, want %v", s.polls, tc.polls)
				}
			})
		})
	}
}
