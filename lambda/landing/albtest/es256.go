package albtest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
)

// es256 is the JWS ES256 signature of signed: r and s, 32 bytes each (RFC 7518 3.4).
func es256(key *ecdsa.PrivateKey, signed string) []byte {
	sum := sha256.Sum256([]byte(signed))
	r, s, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		panic(err)
	}
	out := make([]byte, 64)
	r.FillBytes(out[:32])
	s.FillBytes(out[32:])
	return out
}

// Key returns the listener's signing key and kid, for tests that forge or alter tokens.
func (a *ALB) Key() (*ecdsa.PrivateKey, string) { return a.key, a.kid }
