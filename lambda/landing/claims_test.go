package landing_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ccwb.dev/lambda/landing"
	"ccwb.dev/lambda/landing/albtest"
)

const client = "landing-web-client"

var user = map[string]any{"sub": "00u1a2b3c4", "email": "jane.doe@example.com", "name": "Jane Doe"}

// verifier checks tokens of alb's key against alb's public-key server.
func verifier(alb *albtest.ALB) *landing.Verifier {
	return &landing.Verifier{Signer: alb.ARN, ClientID: client, KeysURL: alb.KeysURL, HTTP: alb.KeysClient()}
}

func TestVerifyTheLoadBalancersClaims(t *testing.T) {
	alb := albtest.New(t)
	key, kid := alb.Key()
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	soon := time.Now().Add(time.Minute)
	good := albtest.Sign(key, kid, alb.ARN, client, "https://idp", soon, user)
	tests := []struct {
		name, token, want string
	}{
		{"signed by the load balancer, padded segments", good, ""},
		{"padding stripped after signing", strings.ReplaceAll(good, "=", ""), "signature"},
		{"another load balancer", albtest.Sign(key, kid, strings.Replace(alb.ARN, "landing", "other", 1), client, "https://idp", soon, user), "not this load balancer"},
		{"another client", albtest.Sign(key, kid, alb.ARN, "someone-else", "https://idp", soon, user), "for client"},
		{"expired", albtest.Sign(key, kid, alb.ARN, client, "https://idp", time.Now().Add(-time.Second), user), "expired"},
		{"another key", albtest.Sign(other, kid, alb.ARN, client, "https://idp", soon, user), "signature"},
		{"unknown kid", albtest.Sign(key, "00000000-0000-0000-0000-000000000000", alb.ARN, client, "https://idp", soon, user), "status 404"},
		{"kid is a path", albtest.Sign(key, "../../evil", alb.ARN, client, "https://idp", soon, user), "not a key ID"},
		{"payload changed", tamper(good, func(c map[string]any) { c["sub"] = "admin" }), "signature"},
		{"alg none", algNone(good), "signing method"},
		{"no sub", albtest.Sign(key, kid, alb.ARN, client, "https://idp", soon, map[string]any{"email": "x@example.com"}), "no sub"},
		{"empty", "", "token"},
	}
	v := verifier(alb)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := v.Verify(context.Background(), tc.token)
			if tc.want == "" {
				if err != nil || u.Subject != "00u1a2b3c4" || u.Email != "jane.doe@example.com" {
					t.Fatalf("Verify = %+v, %v; want Jane", u, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Verify = %+v, %v; want an error saying %q", u, err, tc.want)
			}
		})
	}
}

// tamper changes the payload of a token, keeping its header and signature.
func tamper(token string, change func(map[string]any)) string {
	parts := strings.Split(token, ".")
	raw, _ := base64.URLEncoding.DecodeString(parts[1])
	var c map[string]any
	json.Unmarshal(raw, &c)
	change(c)
	b, _ := json.Marshal(c)
	parts[1] = base64.URLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

// algNone rewrites the header to alg "none" and drops the signature.
func algNone(token string) string {
	parts := strings.Split(token, ".")
	raw, _ := base64.URLEncoding.DecodeString(parts[0])
	var h map[string]any
	json.Unmarshal(raw, &h)
	h["alg"] = "none"
	b, _ := json.Marshal(h)
	return base64.URLEncoding.EncodeToString(b) + "." + parts[1] + "."
}

func FuzzVerify(f *testing.F) {
	alb := albtest.New(f)
	key, kid := alb.Key()
	f.Add(albtest.Sign(key, kid, alb.ARN, client, "https://idp", time.Now().Add(time.Hour), user))
	f.Add("a.b.c")
	v := verifier(alb)
	f.Fuzz(func(t *testing.T, token string) {
		u, err := v.Verify(context.Background(), token)
		if err == nil && u.Subject == "" {
			t.Fatalf("verified a token without a subject: %q", token)
		}
	})
}
