// Package albtest is a test double of an Application Load Balancer's HTTPS listener with
// the authenticate-oidc action in front of a Lambda target: an emulation of the documented
// behaviour (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html),
// not the load balancer. A request without its session cookie is sent to the IdP's
// authorization endpoint; /oauth2/idpresponse exchanges the code with the client secret,
// verifies the ID token, calls the user-info endpoint and sets the cookie; a signed-in
// request reaches the target as an ALB target group event carrying x-amzn-oidc-data, signed
// ES256 as the documentation describes (base64url segments with padding), whose public key
// it serves under its kid. Headers a client sends under those names are dropped.
package albtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"

	"ccwb.dev/lambda/landing"
)

// SessionCookie is the cookie name the load balancer uses by default.
const SessionCookie = "AWSELBAuthSessionCookie-0"

// Target is what the listener forwards to: a Lambda function's handler.
type Target func(context.Context, events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error)

// Options configure the listener's authenticate-oidc action.
type Options struct {
	// Issuer is the IdP; its discovery document gives the endpoints.
	Issuer string
	// ClientID and ClientSecret are the confidential web client's.
	ClientID, ClientSecret string
	// IdP is the HTTP client the load balancer reaches the IdP with (trusting its TLS).
	IdP    *http.Client
	Target Target
}

// ALB is a running listener on https://127.0.0.1, with its public-key server.
type ALB struct {
	// URL is the listener; RedirectURI its /oauth2/idpresponse, to register at the IdP.
	URL, RedirectURI string
	// ARN is the load balancer ARN it signs x-amzn-oidc-data as (the header's signer).
	ARN string
	// KeysURL serves the PEM public key of each kid, as https://public-keys.auth.elb.<region>.amazonaws.com does.
	KeysURL string
	// Invocations counts the requests forwarded to the target.
	Invocations atomic.Int64

	srv, keys *httptest.Server
	key       *ecdsa.PrivateKey
	kid       string
	o         Options
	oauth     *oauth2.Config
	verifier  *oidc.IDTokenVerifier
	provider  *oidc.Provider
	mu        sync.Mutex
	pending   map[string]pending // by state
	sessions  map[string]session // by cookie value
}

type pending struct{ nonce, path string }

type session struct {
	claims      map[string]any
	accessToken string
	expires     time.Time
}

// New reserves the listener's address, so that its RedirectURI can be registered at the
// IdP before Start.
func New(t testing.TB) *ALB {
	t.Helper()
	a := &ALB{ARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/landing/50dc6c495c0c9188",
		kid: "1b5ab1a5-4e6c-4d0b-9b8e-2f6f0a0c1d2e", pending: map[string]pending{}, sessions: map[string]session{}}
	var err error
	if a.key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	a.srv = httptest.NewUnstartedServer(http.HandlerFunc(a.serve))
	a.URL = "https://" + a.srv.Listener.Addr().String()
	a.RedirectURI = a.URL + "/oauth2/idpresponse"
	der, _ := x509.MarshalPKIXPublicKey(&a.key.PublicKey)
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	a.keys = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+a.kid {
			http.NotFound(w, r)
			return
		}
		w.Write(pemKey)
	}))
	a.KeysURL = a.keys.URL
	t.Cleanup(func() { a.srv.Close(); a.keys.Close() })
	return a
}

// Start discovers the IdP and starts the listener.
func (a *ALB) Start(t testing.TB, o Options) {
	t.Helper()
	a.o = o
	ctx := oidc.ClientContext(context.Background(), o.IdP)
	p, err := oidc.NewProvider(ctx, o.Issuer)
	if err != nil {
		t.Fatalf("albtest: discover %s: %v", o.Issuer, err)
	}
	a.provider = p
	a.verifier = p.Verifier(&oidc.Config{ClientID: o.ClientID})
	a.oauth = &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: a.RedirectURI, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	a.srv.StartTLS()
}

// Client trusts the listener's certificate.
func (a *ALB) Client() *http.Client { return a.srv.Client() }

// KeysClient trusts the public-key server's certificate (it serves https, as the real one).
func (a *ALB) KeysClient() *http.Client { return a.keys.Client() }

// KeysCA is the public-key server's certificate in PEM (for NODE_EXTRA_CA_CERTS).
func (a *ALB) KeysCA() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.keys.Certificate().Raw})
}

func (a *ALB) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth2/idpresponse" {
		a.callback(w, r)
		return
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		a.mu.Lock()
		s, ok := a.sessions[c.Value]
		a.mu.Unlock()
		if ok && time.Now().Before(s.expires) {
			a.forward(w, r, s)
			return
		}
	}
	state, nonce := random(), random()
	a.mu.Lock()
	a.pending[state] = pending{nonce: nonce, path: r.URL.RequestURI()}
	a.mu.Unlock()
	http.Redirect(w, r, a.oauth.AuthCodeURL(state, oidc.Nonce(nonce)), http.StatusFound)
}

// callback completes the sign-in: code for tokens (with the client secret), the ID token
// verified, the user-info claims fetched, the session cookie set.
func (a *ALB) callback(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	p, ok := a.pending[r.URL.Query().Get("state")]
	delete(a.pending, r.URL.Query().Get("state"))
	a.mu.Unlock()
	if !ok {
		http.Error(w, "401 Authorization Required (unknown state)", http.StatusUnauthorized)
		return
	}
	ctx := oidc.ClientContext(r.Context(), a.o.IdP)
	tok, err := a.oauth.Exchange(ctx, r.URL.Query().Get("code"))
	if err != nil {
		http.Error(w, "561 token exchange: "+err.Error(), 561)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	id, err := a.verifier.Verify(ctx, raw)
	if err != nil || id.Nonce != p.nonce {
		http.Error(w, fmt.Sprintf("561 ID token: %v", err), 561)
		return
	}
	info, err := a.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		http.Error(w, "561 user info: "+err.Error(), 561)
		return
	}
	claims := map[string]any{}
	if err := info.Claims(&claims); err != nil {
		http.Error(w, "561 user info: "+err.Error(), 561)
		return
	}
	cookie := random()
	a.mu.Lock()
	a.sessions[cookie] = session{claims: claims, accessToken: tok.AccessToken, expires: time.Now().Add(time.Hour)}
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: cookie, Path: "/", Secure: true, HttpOnly: true})
	http.Redirect(w, r, p.path, http.StatusFound)
}

// forward calls the target with the request as an ALB target group event and writes its
// answer; an answer over the documented 1 MB is a 502, as the load balancer gives.
func (a *ALB) forward(w http.ResponseWriter, r *http.Request, s session) {
	ev := events.ALBTargetGroupRequest{HTTPMethod: r.Method, Path: r.URL.Path, Headers: map[string]string{}, QueryStringParameters: map[string]string{}}
	for k, v := range r.Header {
		k = strings.ToLower(k)
		if !strings.HasPrefix(k, "x-amzn-oidc-") {
			ev.Headers[k] = strings.Join(v, ",")
		}
	}
	for k, v := range r.URL.Query() {
		ev.QueryStringParameters[k] = v[0]
	}
	host, _, _ := strings.Cut(r.RemoteAddr, ":")
	ev.Headers["x-forwarded-for"], ev.Headers["x-forwarded-proto"] = host, "https"
	ev.Headers["x-amzn-trace-id"] = "Root=1-" + random()[:8] + "-" + random()[:24]
	ev.Headers[landing.HeaderData] = Sign(a.key, a.kid, a.ARN, a.o.ClientID, a.o.Issuer, time.Now().Add(2*time.Minute), s.claims)
	ev.Headers[landing.HeaderIdentity], _ = s.claims["sub"].(string)
	ev.Headers[landing.HeaderAccessToken] = s.accessToken
	ev.RequestContext.ELB.TargetGroupArn = strings.Replace(a.ARN, "loadbalancer/app", "targetgroup", 1)
	a.Invocations.Add(1)
	resp, err := a.o.Target(r.Context(), ev)
	if err != nil {
		http.Error(w, "502 Bad Gateway: "+err.Error(), http.StatusBadGateway)
		return
	}
	if encoded, _ := json.Marshal(resp); len(encoded) > landing.MaxResponseBytes {
		http.Error(w, "502 Bad Gateway: the Lambda response is over 1 MB", http.StatusBadGateway)
		return
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			http.Error(w, "502 Bad Gateway: bad base64 body", http.StatusBadGateway)
			return
		}
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(body)
}

// Sign makes an x-amzn-oidc-data value as the load balancer documents it: header
// {alg ES256, kid, signer, iss, client, exp}, the user claims (with exp and iss) as
// payload, an ECDSA P-256 SHA-256 signature, each segment base64url with padding.
func Sign(key *ecdsa.PrivateKey, kid, signer, client, issuer string, exp time.Time, claims map[string]any) string {
	enc := base64.URLEncoding // with padding, unlike JWS
	header, _ := json.Marshal(map[string]any{"alg": "ES256", "kid": kid, "signer": signer, "iss": issuer, "client": client, "exp": exp.Unix()})
	body := map[string]any{"exp": exp.Unix(), "iss": issuer}
	for k, v := range claims {
		body[k] = v
	}
	payload, _ := json.Marshal(body)
	signed := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	sig, err := jwt.SigningMethodES256.Sign(signed, key) // r and s, 32 bytes each (RFC 7518 3.4)
	if err != nil {
		panic(fmt.Sprintf("albtest: sign ES256: %v", err))
	}
	return signed + "." + enc.EncodeToString(sig)
}

// Key returns the listener's signing key and kid, for tests that forge or alter tokens.
func (a *ALB) Key() (*ecdsa.PrivateKey, string) { return a.key, a.kid }

func random() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b) + "00000000"
}
