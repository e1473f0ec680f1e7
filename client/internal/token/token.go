// Package token is what the identity provider's sign-in yields and the one interface through
// which every consumer gets it: federation (the ID token for AWS), the otel-helper and the
// credential process's --get-monitoring-token (the collector's bearer), --show-claims.
package token

import (
	"context"
	"time"
)

// Tokens are the result of one sign-in or refresh. AccessToken is kept only when the profile
// has a telemetry audience: it is the collector's bearer then, never sent to AWS.
type Tokens struct {
	IDToken      string
	IDExpiry     time.Time
	RefreshToken string
	AccessToken  string
	AccessExpiry time.Time
	// Cached says the tokens came from a cache, not from the identity provider just now: a
	// consumer whose service rejects them calls Invalidate and asks once more.
	Cached bool
}

// Need names the token a consumer sends, the one that must be fresh.
type Need int

const (
	// IDToken is sent: to AWS, or to the collector when the profile has no telemetry audience.
	IDToken Need = iota
	// TelemetryToken is the collector's bearer; the ID token then only names the user, and
	// may have expired.
	TelemetryToken
)

// Bearer is the token a consumer with this need sends.
func (t Tokens) Bearer(need Need) string {
	if need == TelemetryToken {
		return t.AccessToken
	}
	return t.IDToken
}

// Source hands out tokens.
type Source interface {
	// Token returns tokens whose needed token is fresh, or that the identity provider has
	// just issued.
	Token(ctx context.Context) (Tokens, error)
	// Invalidate drops the cached tokens (a service rejected them), keeping what renews them,
	// so that the next Token gets new ones.
	Invalidate(ctx context.Context) error
}

// ForCollector is the token sent to the collector: the telemetry token when the profile has a
// telemetry audience, else the ID token.
func ForCollector(telemetryAudience string) Need {
	if telemetryAudience != "" {
		return TelemetryToken
	}
	return IDToken
}
