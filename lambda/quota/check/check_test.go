package check

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/store"
	"ccwb.dev/lambda/quota/store/storetest"
)

var (
	ctx = context.Background()
	now = time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC)
)

// request is what API Gateway hands the function after its JWT authorizer verified token:
// the claims as strings (a list claim stringified), the token in the header.
func request(payload map[string]any) events.APIGatewayV2HTTPRequest {
	body, _ := json.Marshal(payload)
	tok := "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(body) + ".c2ln"
	flat := map[string]string{}
	for k, v := range payload {
		b, _ := json.Marshal(v)
		if s, ok := v.(string); ok {
			flat[k] = s
		} else {
			flat[k] = string(b)
		}
	}
	return events.APIGatewayV2HTTPRequest{
		Headers: map[string]string{"authorization": "Bearer " + tok},
		RequestContext: events.APIGatewayV2HTTPRequestContext{Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: flat}}},
	}
}

func TestCheck(t *testing.T) {
	s, _ := storetest.New(t)
	for _, p := range []quota.Policy{
		{Scope: quota.Default, Metric: quota.USD, Period: quota.Monthly, Limit: 1000, Action: quota.Block},
		{Scope: quota.Group, Name: "contractors", Metric: quota.USD, Period: quota.Monthly, Limit: 100, Action: quota.Block},
		{Scope: quota.User, Name: "00uvip", Metric: quota.USD, Period: quota.Monthly, Limit: 5000, Action: quota.Warn},
	} {
		if err := s.PutPolicy(ctx, p, "test", now); err != nil {
			t.Fatal(err)
		}
	}
	counter := store.Counter{Prices: pricing.Defaults, Location: time.UTC}
	spend := func(sub string, usd int) { // Sonnet output at USD 15 a million
		if _, err := s.Count(ctx, counter, sub, []store.Invocation{{Region: "us-east-1", RequestID: sub, Model: "anthropic.claude-sonnet-4-5", Time: now,
			Tokens: pricing.Tokens{Output: int64(usd) * 1_000_000 / 15}}}); err != nil {
			t.Fatal(err)
		}
	}
	spend("00ucarol", 150)
	spend("00uvip", 150)
	spend("00udan", 950)
	svc := &Service{Store: s, Policies: &store.PolicyCache{Store: s}, UnknownGroups: quota.UnknownStrictest, GroupsClaim: "groups", Location: time.UTC, Now: func() time.Time { return now }}

	for _, c := range []struct {
		name    string
		claims  map[string]any
		want    quota.Decision
		limit   float64
		profile []string
	}{
		{"a contractor over the group's block limit", map[string]any{"sub": "00ucarol", "email": "carol@example.com", "groups": []string{"contractors", "everyone"}}, quota.Blocked, 100, []string{"contractors", "everyone"}},
		{"the user's own policy wins", map[string]any{"sub": "00uvip", "groups": []string{"contractors"}}, quota.Allowed, 5000, []string{"contractors"}},
		{"the default, at 95 %", map[string]any{"sub": "00udan", "groups": "engineers"}, quota.Warned, 1000, []string{"engineers"}},
		{"no usage yet", map[string]any{"sub": "00unew"}, quota.Allowed, 1000, nil},
	} {
		resp, err := svc.Handle(ctx, request(c.claims))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s %v", c.name, resp.StatusCode, resp.Body, err)
		}
		v, err := quota.ParseVerdict([]byte(resp.Body))
		if err != nil || v.Decision != c.want || v.Limit != c.limit {
			t.Errorf("%s: %+v %v, want %s at limit %v", c.name, v, err, c.want, c.limit)
		}
		p, _, _ := s.Profile(ctx, c.claims["sub"].(string))
		if !p.KnownGroups || len(p.Groups) != len(c.profile) {
			t.Errorf("%s: profile %+v, want groups %v", c.name, p, c.profile)
		}
	}
	// An override turns the block into a warning.
	if err := s.PutOverride(ctx, store.Override{Subject: "00ucarol", By: "admin", Until: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	resp, _ := svc.Handle(ctx, request(map[string]any{"sub": "00ucarol", "groups": []string{"contractors"}}))
	if v, _ := quota.ParseVerdict([]byte(resp.Body)); v.Decision != quota.Warned || !v.Override {
		t.Errorf("overridden: %s", resp.Body)
	}
}

func TestCheckRefusesUnverified(t *testing.T) {
	svc := &Service{GroupsClaim: "groups"}
	if resp, _ := svc.Handle(ctx, events.APIGatewayV2HTTPRequest{}); resp.StatusCode != 401 {
		t.Errorf("no authorizer: %d", resp.StatusCode)
	}
	req := request(map[string]any{"sub": "00ua"})
	req.RequestContext.Authorizer.JWT.Claims["sub"] = "00uother"
	if resp, _ := svc.Handle(ctx, req); resp.StatusCode != 401 {
		t.Errorf("a token other than the verified one: %d", resp.StatusCode)
	}
}
