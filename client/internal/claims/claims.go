// Package claims reads the payload of a JWT (an ID token already verified elsewhere, or one
// shown for support) without verifying it.
package claims

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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

// Audience returns the aud claim as a list: one string or an array of strings (RFC 7519
// 4.1.3); anything else gives nil.
func (c Claims) Audience() []string {
	switch v := c["aud"].(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	return nil
}

// CheckTelemetryToken makes sure an access token is fit to leave the machine as the
// telemetry bearer: a JWT issued for the telemetry audience and not for the client ID, since
// STS accepts a token of the client's audience for the Bedrock role. It verifies no
// signature: the collector does; this only keeps an AWS credential from being sent.
func CheckTelemetryToken(raw, audience, clientID string) error {
	c, err := Parse(raw)
	if err != nil {
		return fmt.Errorf("the access token is not a JWT the collector can verify (%v)", err)
	}
	aud := c.Audience()
	switch {
	case slices.Contains(aud, clientID):
		return fmt.Errorf("the access token's audience (%s) includes the client ID %s, so STS would accept it for the Bedrock role", strings.Join(aud, ", "), clientID)
	case !slices.Contains(aud, audience):
		return fmt.Errorf("the access token is for %q, not the telemetry audience %q", strings.Join(aud, ", "), audience)
	}
	return nil
}
