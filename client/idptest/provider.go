// Package idptest runs, inside a test process, what the credential process talks to: an
// OpenID Provider (the zitadel provider: real login form, public client with PKCE, refresh
// tokens, JWKS, email and name in the ID token), a fake STS + Cognito Identity endpoint that
// checks web identity tokens as AWS does, and a scripted browser that logs in over HTTP.
// Tests in every module use it to run the real binaries without an AWS account.
package idptest

import (
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is an account at the provider. Claims are extra ID token claims (department, team...).
type User struct {
	Subject, Username, Password, Email, Name string
	Claims                                   map[string]any
}

// DefaultUser is the account a provider has when Options.Users is empty.
var DefaultUser = User{
	Subject: "00u1a2b3c4", Username: "jane", Password: "correct horse",
	Email: "jane.doe@example.com", Name: "Jane Doe",
	Claims: map[string]any{"department": "engineering"},
}

// Options configure a Provider. Zero values take the documented defaults.
type Options struct {
	ClientID             string        // default "ccwb-test-client"
	Users                []User        // default [DefaultUser]
	IDTokenLifetime      time.Duration // default 1h; negative issues already expired tokens
	AccessTokenLifetime  time.Duration // default 1h
	RefreshTokenLifetime time.Duration // default 24h
	// TelemetryAudience makes access tokens JWTs for that audience (an API other than the
	// client), as an Okta custom authorization server issues them; with TelemetryScope, only
	// when the sign-in asked for that scope, as Entra ID does.
	TelemetryAudience, TelemetryScope string
	// WebClient, when set, is a second, confidential client (the landing page's).
	WebClient *WebClient
	// DeviceCodeLifetime is how long a device code may be entered (default 10 min);
	// DevicePollInterval the interval the provider asks clients to poll at (default 1 s,
	// as AWS's SSO OIDC answers; RFC 8628's default is 5 s).
	DeviceCodeLifetime, DevicePollInterval time.Duration
	// InMemory serves the provider only through Client(), without a listener, at issuer
	// https://idp.test: for tests in a testing/synctest bubble, whose clock stops only while
	// every goroutine waits on something inside it (a server's accept loop does not).
	InMemory bool
	issuer   string
}

// Provider is a running OpenID Provider over TLS on 127.0.0.1.
type Provider struct {
	Issuer   string
	ClientID string
	// CAFile is a PEM file holding the server's certificate: point SSL_CERT_FILE at it so
	// a child process trusts the provider (and nothing else).
	CAFile string
	// Logins counts successful logins through the form; Refreshes counts refresh-token grants.
	Logins, Refreshes atomic.Int64
	// Device counts the device authorization grant's traffic.
	Device DeviceCounters

	srv     *httptest.Server
	client  *http.Client
	storage *storage
}

// NewProvider starts a provider that stops when the test ends.
func NewProvider(t testing.TB, o Options) *Provider {
	t.Helper()
	if o.ClientID == "" {
		o.ClientID = "ccwb-test-client"
	}
	if len(o.Users) == 0 {
		o.Users = []User{DefaultUser}
	}
	if o.IDTokenLifetime == 0 {
		o.IDTokenLifetime = time.Hour
	}
	if o.AccessTokenLifetime == 0 {
		o.AccessTokenLifetime = time.Hour
	}
	if o.RefreshTokenLifetime == 0 {
		o.RefreshTokenLifetime = 24 * time.Hour
	}
	if o.DeviceCodeLifetime == 0 {
		o.DeviceCodeLifetime = 10 * time.Minute
	}
	if o.DevicePollInterval == 0 {
		o.DevicePollInterval = time.Second
	}
	p := &Provider{ClientID: o.ClientID}
	mux := http.NewServeMux()
	if o.InMemory {
		p.Issuer, o.issuer = "https://idp.test", "https://idp.test"
		p.client = &http.Client{Transport: inMemory{mux}}
		p.routes(t, mux, &o)
		return p
	}
	p.srv = httptest.NewUnstartedServer(mux)
	p.srv.StartTLS()
	t.Cleanup(p.srv.Close)
	p.Issuer, o.issuer = p.srv.URL, p.srv.URL
	p.client = p.srv.Client()
	p.routes(t, mux, &o)

	caFile := filepath.Join(t.TempDir(), "idptest-ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatalf("idptest: write CA file: %v", err)
	}
	p.CAFile = caFile
	return p
}

// routes serves the OpenID Provider on mux.
func (p *Provider) routes(t testing.TB, mux *http.ServeMux, o *Options) {
	st, err := newStorage(o)
	if err != nil {
		t.Fatalf("idptest: keys: %v", err)
	}
	st.counters = &p.Device
	p.storage = st
	var cryptoKey [32]byte
	_, _ = rand.Read(cryptoKey[:])
	opProvider, err := op.NewProvider(&op.Config{
		CryptoKey:             cryptoKey,
		CodeMethodS256:        true,
		GrantTypeRefreshToken: true,
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime: o.DeviceCodeLifetime, PollInterval: o.DevicePollInterval,
			UserFormPath: DevicePath, UserCode: op.UserCodeBase20,
		},
	}, st, op.StaticIssuer(p.Issuer))
	if err != nil {
		t.Fatalf("idptest: provider: %v", err)
	}
	mux.HandleFunc("/login", p.loginHandler)
	mux.HandleFunc(DevicePath, p.deviceHandler)
	oidcHandler := opProvider.Handler
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" && r.Method == http.MethodPost {
			if err := r.ParseForm(); err == nil && r.PostForm.Get("grant_type") == "refresh_token" {
				p.Refreshes.Add(1)
			}
			if o.TelemetryAudience != "" {
				p.serveToken(w, r, oidcHandler)
				return
			}
		}
		oidcHandler.ServeHTTP(w, r)
	}))
}

// Client returns an HTTP client that trusts the provider.
func (p *Provider) Client() *http.Client { return p.client }

// inMemory is a transport that hands each request to a handler in this process.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// PublishWrongKey makes the JWKS serve a key that did not sign the ID tokens.
func (p *Provider) PublishWrongKey(t testing.TB) {
	if err := p.storage.publishWrongKey(); err != nil {
		t.Fatalf("idptest: %v", err)
	}
}

// RevokeRefreshTokens forgets every refresh token, as an IdP does when a session is ended.
func (p *Provider) RevokeRefreshTokens() { p.storage.revokeRefreshTokens() }

// Close stops the provider early (to test an unreachable IdP).
func (p *Provider) Close() { p.srv.Close() }

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html><head><title>Sign in - idptest</title></head>
<body><h1>Sign in</h1>
{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="id" value="{{.ID}}">
<label>Username <input id="username" name="username" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="submit" type="submit">Sign in</button>
</form></body></html>`))

// loginHandler shows the login form (GET) and checks it (POST); on success it sends the
// browser back to the provider's authorize callback, which redirects to the client.
func (p *Provider) loginHandler(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		id := r.URL.Query().Get("id")
		_ = loginPage.Execute(w, map[string]string{"ID": id})
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
			return
		}
		id := r.PostForm.Get("id")
		ok, err := p.storage.login(id, r.PostForm.Get("username"), r.PostForm.Get("password"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			_ = loginPage.Execute(w, map[string]string{"ID": id, "Error": "wrong username or password"})
			return
		}
		p.Logins.Add(1)
		http.Redirect(w, r, fmt.Sprintf("%s/authorize/callback?id=%s", p.Issuer, id), http.StatusFound)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
