// Package wiretest is test support for the AWS calls the client speaks by hand (federation's
// STS and Cognito Identity, sso's SSO OIDC and access portal): a server that answers every
// request alike and records each, so that a test sends one call through the AWS SDK for Go
// and through ours and compares what reached the wire. Shipped code never imports it.
package wiretest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"
)

// Request is what one request carried: everything an AWS service reads of it.
type Request struct {
	Method, Path, Query string
	MediaType, Target   string         // Content-Type without its parameters; X-Amz-Target
	Bearer, Auth        string         // X-Amz-Sso_bearer_token; Authorization ("" for an unsigned call)
	Form                url.Values     // an application/x-www-form-urlencoded body
	JSON                map[string]any // any other body, which must be JSON
}

// Recorder keeps the requests a Server received.
type Recorder struct {
	mu  sync.Mutex
	got []Request
}

// Take returns the requests received since the last Take.
func (r *Recorder) Take() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.got
	r.got = nil
	return got
}

// Server answers every request with status, header and body, and records each request.
func Server(t testing.TB, status int, header map[string]string, body string) (*httptest.Server, *Recorder) {
	rec := &Recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, MediaType: mt, Target: r.Header.Get("X-Amz-Target"),
			Bearer: r.Header.Get("X-Amz-Sso_bearer_token"), Auth: r.Header.Get("Authorization")}
		switch {
		case mt == "application/x-www-form-urlencoded":
			req.Form, _ = url.ParseQuery(string(b))
		case len(b) > 0:
			if err := json.Unmarshal(b, &req.JSON); err != nil {
				t.Errorf("request body is not JSON: %v", err)
			}
		}
		rec.mu.Lock()
		rec.got = append(rec.got, req)
		rec.mu.Unlock()
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// Same fails the test unless got holds two requests, ours then the SDK's, that are the same
// and unsigned.
func Same(t testing.TB, got []Request) {
	t.Helper()
	if len(got) != 2 {
		t.Fatalf("%d requests, want ours and the SDK's", len(got))
	}
	if !reflect.DeepEqual(got[0], got[1]) {
		t.Errorf("ours differs from the SDK's:\nours %+v\nSDK  %+v", got[0], got[1])
	}
	if got[0].Auth != "" {
		t.Errorf("the call is signed (%q); it must be anonymous", got[0].Auth)
	}
}
