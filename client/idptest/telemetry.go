package idptest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// serveToken answers the token endpoint as an authorization server with a separate API
// audience does (an Okta custom authorization server, Entra ID asked for an API's scope):
// the access token is a JWT for Options.TelemetryAudience, signed with the provider's key
// and published in its JWKS, and the ID token's at_hash follows it. With
// Options.TelemetryScope only responses that granted that scope get one.
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		if b, err := p.storage.telemetryResponse(body); err == nil {
			body = b
		} else {
			http.Error(w, "idptest: telemetry token: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

func (s *storage) telemetryResponse(body []byte) ([]byte, error) {
	var resp map[string]any
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	granted := strings.Fields(fmt.Sprint(resp["scope"]))
	idToken, _ := resp["id_token"].(string)
	if idToken == "" || s.opts.TelemetryScope != "" && !slices.Contains(granted, s.opts.TelemetryScope) {
		return body, nil
	}
	idClaims, err := payload(idToken)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	access, err := s.sign(map[string]any{
		"iss": s.opts.issuer, "sub": idClaims["sub"], "uid": idClaims["sub"], "aud": s.opts.TelemetryAudience,
		"cid": s.opts.ClientID, "scp": granted, "iat": now.Unix(), "exp": now.Add(s.opts.AccessTokenLifetime).Unix(),
		"jti": randomID(),
	})
	if err != nil {
		return nil, err
	}
	if idClaims["at_hash"], err = oidc.ClaimHash(access, jose.RS256); err != nil {
		return nil, err
	}
	if resp["id_token"], err = s.sign(idClaims); err != nil {
		return nil, err
	}
	resp["access_token"] = access
	return json.Marshal(resp)
}

// Sign signs claims with the provider's key, as a token it issued (for tests of tokens the
// provider would not issue by itself, such as one with several audiences).
func (p *Provider) Sign(t testing.TB, claims map[string]any) string {
	t.Helper()
	raw, err := p.storage.sign(claims)
	if err != nil {
		t.Fatalf("idptest: sign: %v", err)
	}
	return raw
}

func (s *storage) sign(claims map[string]any) (string, error) {
	s.mu.Lock()
	key, kid := s.signing, s.keyID
	s.mu.Unlock()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(b)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func payload(raw string) (map[string]any, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var c map[string]any
	return c, dec.Decode(&c)
}
