package idptest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// IdentityCenter is a stand-in for AWS IAM Identity Center on plain HTTP at URL: the SSO OIDC
// service (RegisterClient, the authorization page, StartDeviceAuthorization, CreateToken) and
// the access portal (GetRoleCredentials, ListAccountRoles), in their REST-JSON wire format
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/,
// https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/). Point
// AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO at it. It checks what the service
// checks: the registered client and its secret, the redirect URI, PKCE (S256), the device
// code, the user's assignment; and it issues role credentials through a fake AWS, whose
// GetCallerIdentity then names the session as Identity Center does:
// assumed-role/AWSReservedSSO_<permission set>_<suffix>/<user name>.
type IdentityCenter struct {
	URL string
	// Counters of what happened, for tests.
	Registrations, SignIns, DeviceAuthorizations, Refreshes, RoleCredentials atomic.Int64

	opts  IdentityCenterOptions
	suffx string
	mu    sync.Mutex
	state icState
}

// IdentityCenterOptions configure the stand-in.
type IdentityCenterOptions struct {
	AWS           *AWS   // issues the role credentials (required)
	Users         []User // default [DefaultUser]
	AccountID     string // default 123456789012
	PermissionSet string // the role name; default ClaudeCodeBedrock
	// Unassigned are users who may sign in but are not assigned the permission set.
	Unassigned []string
	// SessionDuration is the permission set's (default 8h); AccessTokenLifetime the SSO
	// access token's (default 1h); DeviceCodeLifetime 10 min and PollInterval 1 s by default.
	SessionDuration, AccessTokenLifetime, DeviceCodeLifetime, PollInterval time.Duration
}

type icClient struct {
	secret    string
	redirects []string
	expires   time.Time
}

type icPending struct { // an authorization or device code waiting for its token
	clientID, redirect, challenge, user string
	device                              bool
	denied                              bool
	expires, lastPoll                   time.Time
}

type icState struct {
	clients  map[string]*icClient
	requests map[string]*icPending // authorization requests by id, before the user signs in
	codes    map[string]*icPending // authorization codes and device codes
	userCode map[string]string     // device user code -> device code
	access   map[string]string     // access token -> user
	accessTo map[string]time.Time
	refresh  map[string]string // refresh token -> user
}

// NewIdentityCenter starts the stand-in; it stops when the test ends.
func NewIdentityCenter(t testing.TB, o IdentityCenterOptions) *IdentityCenter {
	t.Helper()
	if o.AWS == nil {
		t.Fatal("idptest.NewIdentityCenter: AWS is required")
	}
	if len(o.Users) == 0 {
		o.Users = []User{DefaultUser}
	}
	o.AccountID = cmpOr(o.AccountID, "123456789012")
	o.PermissionSet = cmpOr(o.PermissionSet, "ClaudeCodeBedrock")
	o.SessionDuration = cmpOr(o.SessionDuration, 8*time.Hour)
	o.AccessTokenLifetime = cmpOr(o.AccessTokenLifetime, time.Hour)
	o.DeviceCodeLifetime = cmpOr(o.DeviceCodeLifetime, 10*time.Minute)
	o.PollInterval = cmpOr(o.PollInterval, time.Second)
	ic := &IdentityCenter{opts: o, suffx: randomID()[:16], state: icState{
		clients: map[string]*icClient{}, requests: map[string]*icPending{}, codes: map[string]*icPending{},
		userCode: map[string]string{}, access: map[string]string{}, accessTo: map[string]time.Time{}, refresh: map[string]string{},
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /client/register", ic.register)
	mux.HandleFunc("GET /authorize", ic.authorize)
	mux.HandleFunc("POST /login", ic.login)
	mux.HandleFunc("POST /device_authorization", ic.deviceAuthorization)
	mux.HandleFunc(DevicePath, ic.devicePage)
	mux.HandleFunc("POST /token", ic.token)
	mux.HandleFunc("GET /federation/credentials", ic.roleCredentials)
	mux.HandleFunc("GET /assignment/roles", ic.accountRoles)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ic.URL = srv.URL
	return ic
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// RoleName is the IAM role Identity Center creates for the permission set in the account.
func (ic *IdentityCenter) RoleName() string {
	return "AWSReservedSSO_" + ic.opts.PermissionSet + "_" + ic.suffx
}

// EndSessions ends every access-portal session: access and refresh tokens stop working, as
// when the session's duration is over or an administrator revokes it.
func (ic *IdentityCenter) EndSessions() {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	clear(ic.state.access)
	clear(ic.state.refresh)
}

// ExpireClients makes every registered client's secret expire.
func (ic *IdentityCenter) ExpireClients() {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	for _, c := range ic.state.clients {
		c.expires = time.Now().Add(-time.Second)
	}
}

// icError writes an error in the service's REST-JSON shape: the code in X-Amzn-ErrorType and
// __type, OAuth's error and error_description for SSO OIDC, message for the portal.
func icError(w http.ResponseWriter, status int, code, oauth, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	body := map[string]string{"__type": code, "error_description": msg, "error": oauth}
	if oauth == "" {
		body = map[string]string{"__type": code, "message": msg}
	}
	_ = json.NewEncoder(w).Encode(body)
}

func writeJSONOK(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (ic *IdentityCenter) register(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientName, ClientType, IssuerURL string
		Scopes, RedirectURIs, GrantTypes  []string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.ClientName == "" || in.ClientType != "public" {
		icError(w, 400, "InvalidRequestException", "invalid_request", "clientName is required and clientType must be public")
		return
	}
	if len(in.Scopes) > 0 && !slices.Contains(in.Scopes, "sso:account:access") {
		icError(w, 400, "InvalidScopeException", "invalid_scope", "Invalid scope requested")
		return
	}
	id, secret, expires := "cl-"+randomID(), "se-"+randomID()+randomID(), time.Now().Add(90*24*time.Hour)
	ic.mu.Lock()
	ic.state.clients[id] = &icClient{secret: secret, redirects: in.RedirectURIs, expires: expires}
	ic.mu.Unlock()
	ic.Registrations.Add(1)
	writeJSONOK(w, map[string]any{"clientId": id, "clientSecret": secret, "clientIdIssuedAt": time.Now().Unix(), "clientSecretExpiresAt": expires.Unix()})
}

// redirectAllowed: a registered loopback redirect matches any port (RFC 8252 section 7.3).
func redirectAllowed(registered []string, redirect string) bool {
	u, err := url.Parse(redirect)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" {
		return false
	}
	return slices.Contains(registered, "http://127.0.0.1"+u.Path)
}

// The authorization page is the OpenID Provider's login form (loginPage): the scripted
// browser and Chromium fill in both alike.

func (ic *IdentityCenter) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ic.mu.Lock()
	c, ok := ic.state.clients[q.Get("client_id")]
	ic.mu.Unlock()
	switch {
	case !ok:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
	case q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "":
		http.Error(w, "response_type=code, state and a S256 code_challenge are required", http.StatusBadRequest)
	case !redirectAllowed(c.redirects, q.Get("redirect_uri")):
		http.Error(w, "redirect_uri is not registered for this client", http.StatusBadRequest)
	case !strings.Contains(" "+q.Get("scopes")+" ", " sso:account:access "):
		http.Error(w, "scopes must include sso:account:access", http.StatusBadRequest)
	default:
		id := randomID()
		ic.mu.Lock()
		ic.state.requests[id] = &icPending{clientID: q.Get("client_id"), redirect: q.Get("redirect_uri") + "?state=" + url.QueryEscape(q.Get("state")), challenge: q.Get("code_challenge"), expires: time.Now().Add(10 * time.Minute)}
		ic.mu.Unlock()
		_ = loginPage.Execute(w, map[string]string{"ID": id})
	}
}

func (ic *IdentityCenter) user(name, password string) (User, bool) {
	for _, u := range ic.opts.Users {
		if u.Username == name && u.Password == password {
			return u, true
		}
	}
	return User{}, false
}

func (ic *IdentityCenter) login(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id := r.PostForm.Get("id")
	ic.mu.Lock()
	req, ok := ic.state.requests[id]
	ic.mu.Unlock()
	if !ok {
		http.Error(w, "no sign-in in progress", http.StatusBadRequest)
		return
	}
	u, ok := ic.user(r.PostForm.Get("username"), r.PostForm.Get("password"))
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		_ = loginPage.Execute(w, map[string]string{"ID": id, "Error": "wrong username or password"})
		return
	}
	code := "co-" + randomID()
	ic.mu.Lock()
	delete(ic.state.requests, id)
	req.user = u.Username
	ic.state.codes[code] = req
	ic.mu.Unlock()
	ic.SignIns.Add(1)
	redirect, state, _ := strings.Cut(req.redirect, "?")
	http.Redirect(w, r, redirect+"?code="+code+"&"+state, http.StatusFound)
}

// pkceMatches checks RFC 7636's S256: BASE64URL(SHA256(verifier)) == challenge.
func pkceMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return verifier != "" && base64.RawURLEncoding.EncodeToString(sum[:]) == challenge
}

func (ic *IdentityCenter) issue(w http.ResponseWriter, user string) {
	access, refresh := "at-"+randomID()+randomID(), "rt-"+randomID()+randomID()
	ic.mu.Lock()
	ic.state.access[access], ic.state.accessTo[access], ic.state.refresh[refresh] = user, time.Now().Add(ic.opts.AccessTokenLifetime), user
	ic.mu.Unlock()
	writeJSONOK(w, map[string]any{"accessToken": access, "tokenType": "Bearer", "expiresIn": int(ic.opts.AccessTokenLifetime.Seconds()), "refreshToken": refresh})
}
