package quotagate

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/token"
)

type tokens struct{}

func (tokens) Token(context.Context) (token.Tokens, error) {
	return token.Tokens{IDToken: "id-token"}, nil
}
func (tokens) Invalidate(context.Context) error { return nil }

type next struct{ calls int }

func (n *next) Retrieve(context.Context) (aws.Credentials, error) {
	n.calls++
	return aws.Credentials{AccessKeyID: "AKID"}, nil
}

// TestTimeout: a service that does not answer within the timeout counts as down, and the
// call is abandoned at the deadline.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	var stderr bytes.Buffer
	n := &next{}
	g := &Gate{URL: srv.URL, Tokens: tokens{}, Next: n, Timeout: 50 * time.Millisecond, Stderr: &stderr}
	if _, err := g.Retrieve(context.Background()); err != nil || n.calls != 1 || !strings.Contains(stderr.String(), "no answer within 50ms") {
		t.Errorf("fail open: %v, %d federations, stderr %q", err, n.calls, stderr.String())
	}
	g.FailClosed = true
	_, err := g.Retrieve(context.Background())
	var down *UnavailableError
	if !errors.As(err, &down) || n.calls != 1 {
		t.Errorf("fail closed: %v, %d federations", err, n.calls)
	}
}

func TestBadAnswers(t *testing.T) {
	for body, want := range map[string]string{`{"decision":"perhaps"}`: "decision \"perhaps\"", `not json`: "read the quota service's answer"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer id-token" {
				w.WriteHeader(401)
				return
			}
			w.Write([]byte(body))
		}))
		g := &Gate{URL: srv.URL, FailClosed: true, Tokens: tokens{}, Next: &next{}}
		if _, err := g.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("answer %s: %v, want %q", body, err, want)
		}
		srv.Close()
	}
}
