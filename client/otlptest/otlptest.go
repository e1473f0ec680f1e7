// Package otlptest is an OTLP/HTTP receiver on loopback for end-to-end tests: it accepts
// every export on the specification's paths (/v1/metrics, /v1/logs, /v1/traces) and records
// what arrived, headers first, so a test can see who sent what credentials where. It
// answers as the specification says a receiver does on success: 200 with an empty
// Export<Signal>ServiceResponse in the request's encoding
// (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response).
package otlptest

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"ccwb.dev/contract/testenv"
)

// Request is one export received.
type Request struct {
	Path   string // /v1/metrics, /v1/logs or /v1/traces
	Header http.Header
	Size   int // body bytes
}

// Receiver is a running receiver over TLS, as a collector is.
type Receiver struct {
	// URL is its base, https://127.0.0.1:<port>: the value of OTEL_EXPORTER_OTLP_ENDPOINT.
	URL string
	// CAFile is a PEM file of its certificate: give it to Claude Code as
	// NODE_EXTRA_CA_CERTS so that it trusts the receiver.
	CAFile string

	mu   sync.Mutex
	reqs []Request
}

// NewReceiver starts a receiver on 127.0.0.1; it stops when the test ends.
func NewReceiver(t testing.TB) *Receiver {
	t.Helper()
	r := &Receiver{}
	mux := http.NewServeMux()
	for _, p := range []string{"/v1/metrics", "/v1/logs", "/v1/traces"} {
		mux.HandleFunc("POST "+p, r.export)
	}
	// A certificate of its own, not httptest's shared one: a client trusts this receiver
	// only when it is told to.
	cert, pemBytes := testenv.Certificate(t, 24*time.Hour)
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	r.CAFile = filepath.Join(t.TempDir(), "otlptest-ca.pem")
	if err := os.WriteFile(r.CAFile, pemBytes, 0o600); err != nil {
		t.Fatalf("otlptest: write CA file: %v", err)
	}
	return r
}

func (r *Receiver) export(w http.ResponseWriter, req *http.Request) {
	n, _ := io.Copy(io.Discard, req.Body)
	r.mu.Lock()
	r.reqs = append(r.reqs, Request{Path: req.URL.Path, Header: req.Header.Clone(), Size: int(n)})
	r.mu.Unlock()
	if req.Header.Get("Content-Type") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
		return
	}
	// An empty protobuf message is zero bytes.
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

// Requests returns the exports received so far, in order.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}
