// Package cache keeps a profile's AWS credentials and OIDC tokens between invocations, in a
// store (keyring or session files), and wraps the credential and token sources so that a
// fresh cached value is handed out without calling them.
package cache

import (
	"errors"
	"fmt"
	"time"

	"ccwb.dev/client/internal/token"
)

// ExpiryWindow is how long a cached credential or token must stay valid to be handed out,
// the one freshness rule of the credential process, the otel-helper and --explain. Ten
// minutes, so that the consumers of what we print never find it too old to keep:
//   - Claude Code 2.1.332 keeps credentials until 5 minutes before they expire, but caches
//     those with 6 minutes or less left for an hour (docs/platform/claude-code.md);
//   - the AWS CLI (botocore) runs the credential process again before every call while
//     credentials have less than 10 minutes left, the JS SDK when less than 5;
//   - the shortest session config.json allows (900 s) is still cached for 5 minutes.
//
// A token the identity provider issues for less than the window is never reused, only
// renewed at each use; just issued, it is always handed out.
const ExpiryWindow = 10 * time.Minute

// fresh reports whether something that expires at expiry may be handed out at now.
func fresh(expiry, now time.Time) bool { return expiry.After(now.Add(ExpiryWindow)) }

// FreshTokens returns the cached tokens when the token need names is fresh, and otherwise
// says why not. Fresh tokens are marked Cached.
func (s *Session) FreshTokens(need token.Need) (token.Tokens, error) {
	t, ok := s.Tokens()
	switch {
	case !ok || t.IDToken == "":
		return token.Tokens{}, errors.New("no cached ID token")
	case need == token.TelemetryToken && t.AccessToken == "":
		return token.Tokens{}, errors.New("no cached telemetry token")
	case need == token.TelemetryToken && !fresh(t.AccessExpiry, s.now()):
		return token.Tokens{}, fmt.Errorf("the cached telemetry token expires at %s", t.AccessExpiry.Format(time.RFC3339))
	case need == token.IDToken && !fresh(t.IDExpiry, s.now()):
		return token.Tokens{}, fmt.Errorf("the cached ID token expires at %s", t.IDExpiry.Format(time.RFC3339))
	}
	return t, nil
}
