// Package claims reads the payload of a JWT (an ID token already verified elsewhere, or one
// shown for support) without verifying it.
package claims

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Claims are a token's decoded claims.
type Claims map[string]any

// Parse decodes the payload of a compact JWS (header.payload.signature).
func Parse(raw string) (Claims, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("token is not a JWT: %d parts, want 3", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("token payload is not base64url: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var c Claims
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("token payload is not a JSON object: %w", err)
	}
	if c == nil {
		return nil, errors.New("token payload is null")
	}
	return c, nil
}

// String returns a string claim, "" when absent or not a string.
func (c Claims) String(name string) string {
	s, _ := c[name].(string)
	return s
}

// Time returns a NumericDate claim (exp, iat), zero when absent or malformed.
func (c Claims) Time(name string) time.Time {
	n, ok := c[name].(json.Number)
	if !ok {
		return time.Time{}
	}
	f, err := n.Float64()
	if err != nil || f <= 0 || f > 1e11 {
		return time.Time{}
	}
	return time.Unix(int64(f), 0)
}
