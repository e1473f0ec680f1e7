package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Credentials are cached AWS credentials.
type Credentials struct {
	AccessKeyID     string    `json:"access_key_id"`
	SecretAccessKey string    `json:"secret_access_key"`
	SessionToken    string    `json:"session_token"`
	Expiration      time.Time `json:"expiration"`
}

// Tokens are the cached OIDC tokens. AccessToken is kept only when the profile has a
// telemetry audience: it is the otel-helper's bearer token then, never sent to AWS.
type Tokens struct {
	IDToken      string    `json:"id_token,omitempty"`
	IDExpiry     time.Time `json:"id_token_expiry,omitzero"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	AccessToken  string    `json:"access_token,omitempty"`
	AccessExpiry time.Time `json:"access_token_expiry,omitzero"`
}

// Margin is how long before expiry a cached value stops being used, so that a caller never
// receives credentials that expire while its request is in flight.
const Margin = 5 * time.Minute

// Session is one profile's cache: typed access to a Store that discards corrupt or expired
// entries.
type Session struct {
	Store Store
	Warn  io.Writer // where a discarded corrupt entry is reported
	Now   func() time.Time
}

func (s *Session) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Credentials returns cached credentials valid for at least Margin. Expired or corrupt
// entries are removed.
func (s *Session) Credentials() (Credentials, bool) {
	var c Credentials
	if !s.load(KeyCredentials, &c) {
		return Credentials{}, false
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expiration.IsZero() {
		s.discard(KeyCredentials, errors.New("missing fields"))
		return Credentials{}, false
	}
	if !c.Expiration.After(s.now().Add(Margin)) {
		_ = s.Store.Delete(KeyCredentials)
		return Credentials{}, false
	}
	return c, true
}

// SaveCredentials stores credentials.
func (s *Session) SaveCredentials(c Credentials) error { return s.save(KeyCredentials, c) }

// Tokens returns the cached tokens (the ID token may be expired: the refresh token may still
// work). Corrupt entries are removed.
func (s *Session) Tokens() (Tokens, bool) {
	var t Tokens
	if !s.load(KeyTokens, &t) {
		return Tokens{}, false
	}
	if t.IDToken == "" && t.RefreshToken == "" {
		s.discard(KeyTokens, errors.New("no token"))
		return Tokens{}, false
	}
	if t.RefreshToken == "" && !t.IDExpiry.After(s.now()) { // expired, and nothing to renew it with
		_ = s.Store.Delete(KeyTokens)
		return Tokens{}, false
	}
	return t, true
}

// SaveTokens stores tokens.
func (s *Session) SaveTokens(t Tokens) error { return s.save(KeyTokens, t) }

// ForgetIDToken drops the cached ID token but keeps the refresh token.
func (s *Session) ForgetIDToken() error {
	t, ok := s.Tokens()
	if !ok {
		return nil
	}
	if t.RefreshToken == "" {
		return s.Store.Delete(KeyTokens)
	}
	t.IDToken, t.IDExpiry = "", time.Time{}
	return s.SaveTokens(t)
}

// Clear removes everything the profile cached.
func (s *Session) Clear() error {
	return errors.Join(s.Store.Delete(KeyCredentials), s.Store.Delete(KeyTokens))
}

func (s *Session) load(key string, v any) bool {
	b, err := s.Store.Get(key)
	if errors.Is(err, ErrNotFound) {
		return false
	}
	if errors.Is(err, ErrCorrupt) {
		s.discard(key, err)
		return false
	}
	if err != nil {
		s.warn("ccwb: cannot read cached %s (%v); ignoring it\n", key, err)
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		s.discard(key, err)
		return false
	}
	return true
}

func (s *Session) discard(key string, why error) {
	s.warn("ccwb: cached %s was corrupt (%v); discarded it\n", key, why)
	_ = s.Store.Delete(key)
}

func (s *Session) warn(format string, args ...any) {
	if s.Warn != nil {
		fmt.Fprintf(s.Warn, format, args...)
	}
}

func (s *Session) save(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode cached %s: %w", key, err)
	}
	if err := s.Store.Put(key, b); err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}
