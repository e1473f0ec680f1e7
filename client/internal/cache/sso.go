package cache

import (
	"errors"
	"time"
)

// What an identity-center profile keeps beside its credentials: the client registered with
// SSO OIDC (RegisterClient: reused until its secret expires) and the SSO token (the access
// portal's bearer and the refresh token that renews it).
const (
	keyRegistration = "sso-registration"
	keySSOToken     = "sso-token"
)

// Registration is a client registered with SSO OIDC for one kind of grant.
type Registration struct {
	ClientID     string    `json:"client_id"`
	ClientSecret string    `json:"client_secret"`
	ExpiresAt    time.Time `json:"expires_at"`
	// Grant is the sign-in the client was registered for: "authorization_code" (with a
	// loopback redirect) or "device_code".
	Grant string `json:"grant"`
}

// SSOToken is the access portal's bearer token and what renews it.
type SSOToken struct {
	AccessToken  string    `json:"access_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	// Cached says the token came from the cache (not stored).
	Cached bool `json:"-"`
}

// Fresh reports whether the access token may be used now (ExpiryWindow).
func (s *Session) Fresh(t SSOToken) bool { return t.AccessToken != "" && fresh(t.Expiry, s.now()) }

// Registration returns the cached registration while its secret lasts beyond the window.
func (s *Session) Registration() (Registration, bool) {
	var r Registration
	if !s.load(keyRegistration, &r) {
		return Registration{}, false
	}
	if r.ClientID == "" || r.ClientSecret == "" {
		s.discard(keyRegistration, errors.New("missing fields"))
		return Registration{}, false
	}
	if !fresh(r.ExpiresAt, s.now()) {
		_ = s.Store.Delete(keyRegistration)
		return Registration{}, false
	}
	return r, true
}

// SaveRegistration stores a registration.
func (s *Session) SaveRegistration(r Registration) error { return s.save(keyRegistration, r) }

// DropRegistration removes the registration (SSO OIDC no longer knows the client).
func (s *Session) DropRegistration() error { return s.Store.Delete(keyRegistration) }

// SSOToken returns the cached SSO token, marked Cached; its access token may have expired
// while the refresh token still works. Corrupt entries, and expired ones without a refresh
// token, are removed.
func (s *Session) SSOToken() (SSOToken, bool) {
	var t SSOToken
	if !s.load(keySSOToken, &t) {
		return SSOToken{}, false
	}
	if !s.renewable(keySSOToken, t.AccessToken, t.Expiry, t.RefreshToken) {
		return SSOToken{}, false
	}
	t.Cached = true
	return t, true
}

// SaveSSOToken stores an SSO token.
func (s *Session) SaveSSOToken(t SSOToken) error { return s.save(keySSOToken, t) }

// DropSSOAccessToken removes the access token and keeps the refresh token, so that the next
// use renews it silently; with refreshToo the refresh token goes as well.
func (s *Session) DropSSOAccessToken(refreshToo bool) error {
	t, ok := s.SSOToken()
	if !ok {
		return nil
	}
	if refreshToo || t.RefreshToken == "" {
		return s.Store.Delete(keySSOToken)
	}
	return s.SaveSSOToken(SSOToken{RefreshToken: t.RefreshToken})
}
