package idptest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The stand-in's CreateToken, StartDeviceAuthorization, device page and access portal.

type icTokenRequest struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	GrantType    string `json:"grantType"`
	Code         string `json:"code"`
	CodeVerifier string `json:"codeVerifier"`
	DeviceCode   string `json:"deviceCode"`
	RedirectURI  string `json:"redirectUri"`
	RefreshToken string `json:"refreshToken"`
}

// client checks a client ID and secret as SSO OIDC does: 401 InvalidClientException.
func (ic *IdentityCenter) client(w http.ResponseWriter, id, secret string) bool {
	ic.mu.Lock()
	c, ok := ic.state.clients[id]
	ic.mu.Unlock()
	if !ok || c.secret != secret || time.Now().After(c.expires) {
		icError(w, 401, "InvalidClientException", "invalid_client", "Invalid client provided")
		return false
	}
	return true
}

func (ic *IdentityCenter) token(w http.ResponseWriter, r *http.Request) {
	var in icTokenRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		icError(w, 400, "InvalidRequestException", "invalid_request", "malformed request")
		return
	}
	if !ic.client(w, in.ClientID, in.ClientSecret) {
		return
	}
	switch in.GrantType {
	case "authorization_code":
		ic.codeGrant(w, in)
	case "urn:ietf:params:oauth:grant-type:device_code":
		ic.deviceGrant(w, in)
	case "refresh_token":
		ic.mu.Lock()
		user, ok := ic.state.refresh[in.RefreshToken]
		delete(ic.state.refresh, in.RefreshToken)
		ic.mu.Unlock()
		if !ok {
			icError(w, 400, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided")
			return
		}
		ic.Refreshes.Add(1)
		ic.issue(w, user)
	default:
		icError(w, 400, "UnsupportedGrantTypeException", "unsupported_grant_type", "Unsupported grant type")
	}
}

func (ic *IdentityCenter) codeGrant(w http.ResponseWriter, in icTokenRequest) {
	ic.mu.Lock()
	p, ok := ic.state.codes[in.Code]
	delete(ic.state.codes, in.Code) // a code is used once
	ic.mu.Unlock()
	redirect, _, _ := strings.Cut(p.redirectOr(), "?")
	switch {
	case !ok || p.device || p.clientID != in.ClientID || time.Now().After(p.expires):
		icError(w, 400, "InvalidGrantException", "invalid_grant", "Invalid authorization code provided")
	case in.RedirectURI != redirect:
		icError(w, 400, "InvalidGrantException", "invalid_grant", "redirect_uri does not match the authorization request")
	case !pkceMatches(in.CodeVerifier, p.challenge):
		icError(w, 400, "InvalidGrantException", "invalid_grant", "Code verifier does not match the code challenge")
	default:
		ic.issue(w, p.user)
	}
}

func (p *icPending) redirectOr() string {
	if p == nil {
		return ""
	}
	return p.redirect
}

func (ic *IdentityCenter) deviceGrant(w http.ResponseWriter, in icTokenRequest) {
	ic.mu.Lock()
	p, ok := ic.state.codes[in.DeviceCode]
	early := ok && !p.lastPoll.IsZero() && time.Now().Before(p.lastPoll.Add(ic.opts.PollInterval))
	if ok {
		p.lastPoll = time.Now()
	}
	ic.mu.Unlock()
	switch {
	case !ok || !p.device || p.clientID != in.ClientID:
		icError(w, 400, "InvalidGrantException", "invalid_grant", "Invalid device code provided")
	case time.Now().After(p.expires):
		icError(w, 400, "ExpiredTokenException", "expired_token", "Device code has expired")
	case p.denied:
		icError(w, 400, "AccessDeniedException", "access_denied", "The user denied the request")
	case early:
		icError(w, 400, "SlowDownException", "slow_down", "Client is polling too fast")
	case p.user == "":
		icError(w, 400, "AuthorizationPendingException", "authorization_pending", "Authorization is still pending")
	default:
		ic.mu.Lock()
		delete(ic.state.codes, in.DeviceCode)
		ic.mu.Unlock()
		ic.issue(w, p.user)
	}
}

func (ic *IdentityCenter) deviceAuthorization(w http.ResponseWriter, r *http.Request) {
	var in struct{ ClientID, ClientSecret, StartURL string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.StartURL == "" {
		icError(w, 400, "InvalidRequestException", "invalid_request", "clientId, clientSecret and startUrl are required")
		return
	}
	if !ic.client(w, in.ClientID, in.ClientSecret) {
		return
	}
	device, user := "dc-"+randomID(), userCode()
	ic.mu.Lock()
	ic.state.codes[device] = &icPending{clientID: in.ClientID, device: true, expires: time.Now().Add(ic.opts.DeviceCodeLifetime)}
	ic.state.userCode[user] = device
	ic.mu.Unlock()
	ic.DeviceAuthorizations.Add(1)
	verify := ic.URL + DevicePath
	writeJSONOK(w, map[string]any{"deviceCode": device, "userCode": user, "verificationUri": verify,
		"verificationUriComplete": verify + "?user_code=" + url.QueryEscape(user),
		"expiresIn":               int(ic.opts.DeviceCodeLifetime.Seconds()), "interval": int(ic.opts.PollInterval.Seconds())})
}

// devicePage is the verification page (the same form as the OpenID Provider's, so
// Chromium.ApproveDevice drives both).
func (ic *IdentityCenter) devicePage(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		_ = devicePage.Execute(w, map[string]string{"UserCode": r.URL.Query().Get("user_code")})
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	msg, status := ic.decide(f.Get("user_code"), f.Get("username"), f.Get("password"), f.Get("decision") == "approve")
	w.WriteHeader(status)
	_ = devicePage.Execute(w, map[string]string{"UserCode": f.Get("user_code"), "Message": msg})
}

func (ic *IdentityCenter) decide(userCode, username, password string, approve bool) (string, int) {
	u, ok := ic.user(username, password)
	if !ok {
		return "wrong username or password", http.StatusUnauthorized
	}
	ic.mu.Lock()
	defer ic.mu.Unlock()
	p, ok := ic.state.codes[ic.state.userCode[userCode]]
	switch {
	case !ok:
		return "no sign-in is waiting for that code", http.StatusBadRequest
	case time.Now().After(p.expires):
		return "the code has expired", http.StatusBadRequest
	case !approve:
		p.denied = true
		return "Device denied.", http.StatusOK
	}
	p.user = u.Username
	return "Device approved. You can return to your terminal.", http.StatusOK
}

// ApproveDevice approves the device code userCode as u, as the user does on the
// verification page.
func (ic *IdentityCenter) ApproveDevice(userCode string, u User) error {
	return ic.decision(userCode, u, true)
}

// DenyDevice denies the device code userCode as u.
func (ic *IdentityCenter) DenyDevice(userCode string, u User) error {
	return ic.decision(userCode, u, false)
}

func (ic *IdentityCenter) decision(userCode string, u User, approve bool) error {
	if msg, status := ic.decide(userCode, u.Username, u.Password, approve); status != http.StatusOK {
		return &icDecisionError{msg}
	}
	return nil
}

type icDecisionError struct{ msg string }

func (e *icDecisionError) Error() string { return e.msg }

// bearer returns the user of the request's x-amz-sso_bearer_token, or answers 401.
func (ic *IdentityCenter) bearer(w http.ResponseWriter, r *http.Request) (string, bool) {
	tok := r.Header.Get("X-Amz-Sso_bearer_token")
	ic.mu.Lock()
	user, ok := ic.state.access[tok]
	ok = ok && time.Now().Before(ic.state.accessTo[tok])
	ic.mu.Unlock()
	if !ok {
		icError(w, 401, "UnauthorizedException", "", "Session token not found or invalid")
	}
	return user, ok
}

func (ic *IdentityCenter) roleCredentials(w http.ResponseWriter, r *http.Request) {
	user, ok := ic.bearer(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	if q.Get("account_id") != ic.opts.AccountID || q.Get("role_name") != ic.opts.PermissionSet || slices.Contains(ic.opts.Unassigned, user) {
		icError(w, 404, "ResourceNotFoundException", "", "No access")
		return
	}
	s := ic.opts.AWS.Issue(ic.opts.AccountID, ic.RoleName(), user, ic.opts.SessionDuration)
	ic.RoleCredentials.Add(1)
	writeJSONOK(w, map[string]any{"roleCredentials": map[string]any{"accessKeyId": s.AccessKeyID, "secretAccessKey": s.SecretAccessKey,
		"sessionToken": s.SessionToken, "expiration": s.Expiration.UnixMilli()}})
}

func (ic *IdentityCenter) accountRoles(w http.ResponseWriter, r *http.Request) {
	user, ok := ic.bearer(w, r)
	if !ok {
		return
	}
	roles := []map[string]string{}
	if r.URL.Query().Get("account_id") == ic.opts.AccountID && !slices.Contains(ic.opts.Unassigned, user) {
		roles = append(roles, map[string]string{"accountId": ic.opts.AccountID, "roleName": ic.opts.PermissionSet})
	}
	writeJSONOK(w, map[string]any{"roleList": roles})
}

// userCode is a code like the service's: eight letters, in two groups.
func userCode() string {
	const letters = "BCDFGHJKLMNPQRSTVWXZ"
	b := []byte(randomID())
	code := make([]byte, 0, 9)
	for i := range 8 {
		if i == 4 {
			code = append(code, '-')
		}
		code = append(code, letters[int(b[i])%len(letters)])
	}
	return string(code)
}
