// Package check is the quota check service behind the HTTP API: the credential process
// asks it, with the user's ID token, before each federation. API Gateway's JWT authorizer
// has verified the token (signature, issuer, audience, expiry) before the function runs; the
// service records the user's email and groups from it, and answers with the verdict of
// the limits that apply (contract/quota.Verdict). It never blocks anyone itself: blocks
// come from the consumer and the IAM deny.
package check

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/store"
)

// Service answers the checks.
type Service struct {
	Store         *store.Store
	Policies      *store.PolicyCache
	UnknownGroups string
	GroupsClaim   string
	Location      *time.Location
	Now           func() time.Time
}

// Handle serves POST quota.CheckPath.
func (s *Service) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var sub string
	if a := req.RequestContext.Authorizer; a != nil && a.JWT != nil {
		sub = a.JWT.Claims["sub"]
	}
	if sub == "" {
		return respond(http.StatusUnauthorized, map[string]string{"message": "no verified subject: the API's JWT authorizer must run first"}), nil
	}
	claims, err := tokenClaims(req.Headers["authorization"])
	if err != nil || claims.String("sub") != sub {
		return respond(http.StatusUnauthorized, map[string]string{"message": "the bearer token is not the one the authorizer verified"}), nil
	}
	v, err := s.Verdict(ctx, sub, claims.String("email"), claims.Strings(s.GroupsClaim))
	if err != nil {
		log.Printf("check %s: %v", sub, err)
		return respond(http.StatusInternalServerError, map[string]string{"message": "the quota service failed; try again"}), nil
	}
	return respond(http.StatusOK, v), nil
}

// Verdict records the subject's profile and returns the verdict of their limits.
func (s *Service) Verdict(ctx context.Context, sub, email string, groups []string) (quota.Verdict, error) {
	now := s.Now()
	if err := s.Store.PutProfile(ctx, sub, email, groups, now); err != nil {
		return quota.Verdict{}, err
	}
	policies, err := s.Policies.Get(ctx, now)
	if err != nil {
		return quota.Verdict{}, err
	}
	eff := quota.Effective(policies, quota.Subject{Sub: sub, Groups: groups, KnownGroups: true}, s.UnknownGroups)
	keys := []string{quota.PeriodKey(quota.Daily, now, s.Location), quota.PeriodKey(quota.Monthly, now, s.Location)}
	usage, err := s.Store.Usage(ctx, sub, keys...)
	if err != nil {
		return quota.Verdict{}, err
	}
	override, err := s.Store.OverrideOf(ctx, sub, now)
	if err != nil {
		return quota.Verdict{}, err
	}
	sts := quota.Assess(eff, func(k string) quota.Usage { return usage[k] }, now, s.Location)
	return quota.VerdictOf(sts, usage[keys[1]], override, now), nil
}

func respond(status int, body any) events.APIGatewayV2HTTPResponse {
	b, _ := json.Marshal(body)
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: map[string]string{"content-type": "application/json"}, Body: string(b)}
}

// claims are a JWT's payload claims.
type claims map[string]any

// tokenClaims reads the payload of "Bearer <JWT>". The authorizer verified the token; the
// payload is read only for the claims the authorizer hands over as flat strings (a list
// claim such as groups arrives stringified there).
func tokenClaims(header string) (claims, error) {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return nil, fmt.Errorf("no bearer token")
	}
	c := jwt.MapClaims{}
	if _, _, err := jwt.NewParser(jwt.WithPaddingAllowed()).ParseUnverified(tok, c); err != nil {
		return nil, fmt.Errorf("the bearer token: %w", err)
	}
	return claims(c), nil
}

func (c claims) String(name string) string {
	s, _ := c[name].(string)
	return s
}

// Strings reads a claim that is a list of strings, or one string.
func (c claims) Strings(name string) []string {
	switch v := c[name].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
