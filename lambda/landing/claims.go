// Package landing is the landing page's Lambda function behind the load balancer's
// authenticate-oidc action: it verifies the user claims the load balancer signed
// (x-amzn-oidc-data), serves the download page for the user's platform and answers each
// download with a short-lived presigned link, logging who downloaded what.
package landing

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Headers the load balancer adds to a request it authenticated
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html).
const (
	HeaderData        = "x-amzn-oidc-data"        // the user claims, a JWT signed by the load balancer
	HeaderIdentity    = "x-amzn-oidc-identity"    // the user-info sub
	HeaderAccessToken = "x-amzn-oidc-accesstoken" // the IdP's access token
)

// KeyURL is where the load balancers of a Region publish the public key of each kid.
func KeyURL(region string) string {
	return "https://public-keys.auth.elb." + region + ".amazonaws.com"
}

// kidRe is what a key ID may look like before it becomes part of a URL: no slash, no dot.
var kidRe = regexp.MustCompile(`^[A-Za-z0-9-]{1,128}$`)

// User is who the load balancer signed in, from the verified claims.
type User struct {
	Subject string `json:"sub"`
	Email   string `json:"email,omitempty"`
	Name    string `json:"name,omitempty"`
}

// Verifier checks x-amzn-oidc-data as the load balancer documentation says: ES256 only,
// signed by this load balancer for this client, not expired, with the key the Region
// publishes under the token's kid (fetched from KeyURL only, never from a URL the token
// names, and cached per kid).
type Verifier struct {
	// Signer is the load balancer's ARN; ClientID the web client it signs users in with.
	Signer, ClientID string
	// KeysURL is KeyURL(region) (a test double's server in tests).
	KeysURL string
	HTTP    *http.Client
	Now     func() time.Time

	mu   sync.Mutex
	keys map[string]*ecdsa.PublicKey
}

// Verify returns the user of a verified token.
func (v *Verifier) Verify(ctx context.Context, token string) (User, error) {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		return v.headerKey(ctx, t.Header, now())
	}, jwt.WithValidMethods([]string{"ES256"}), jwt.WithPaddingAllowed(), jwt.WithTimeFunc(now))
	if err != nil {
		return User{}, fmt.Errorf("verify %s: %w", HeaderData, err)
	}
	sub, _ := claims["sub"].(string)
	if sub == "" {
		return User{}, fmt.Errorf("verify %s: no sub claim", HeaderData)
	}
	email, _ := claims["email"].(string)
	name, _ := claims["name"].(string)
	return User{Subject: sub, Email: email, Name: name}, nil
}

// headerKey checks the load balancer's header fields and returns the key of its kid.
func (v *Verifier) headerKey(ctx context.Context, h map[string]any, now time.Time) (any, error) {
	if s, _ := h["signer"].(string); s == "" || s != v.Signer {
		return nil, fmt.Errorf("signed by %q, not this load balancer", s)
	}
	if c, _ := h["client"].(string); c != v.ClientID {
		return nil, fmt.Errorf("for client %q, not %q", c, v.ClientID)
	}
	exp, ok := h["exp"].(float64)
	if !ok {
		return nil, errors.New("no exp in the header")
	}
	if !now.Before(time.Unix(int64(exp), 0)) {
		return nil, fmt.Errorf("expired at %s", time.Unix(int64(exp), 0).UTC().Format(time.RFC3339))
	}
	kid, _ := h["kid"].(string)
	if !kidRe.MatchString(kid) {
		return nil, fmt.Errorf("kid %q is not a key ID", kid)
	}
	return v.key(ctx, kid)
}

func (v *Verifier) key(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if k, ok := v.keys[kid]; ok {
		return k, nil
	}
	url := strings.TrimRight(v.KeysURL, "/") + "/" + kid
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	client := v.HTTP
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch the public key %s: %w", url, err)
	}
	defer resp.Body.Close()
	pem, err := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch the public key %s: status %d %v", url, resp.StatusCode, err)
	}
	k, err := jwt.ParseECPublicKeyFromPEM(pem)
	if err != nil {
		return nil, fmt.Errorf("public key %s: %w", url, err)
	}
	if v.keys == nil {
		v.keys = map[string]*ecdsa.PublicKey{}
	}
	v.keys[kid] = k
	return k, nil
}
