package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"ccwb.dev/cdk/internal/mototest"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cdktest/iamsim"
	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/quota/denypolicy"
	"ccwb.dev/contract/stacks"
	"ccwb.dev/lambda/quota/enforce"
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/invocationlog/logtest"
	"ccwb.dev/lambda/quota/store"
	"ccwb.dev/lambda/quota/store/storetest"
)

// roleID is the Bedrock role's unique ID in the request context: aws:userid of a role
// session is "<role ID>:<session name>"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-infotouse).
const roleID = "AROAEXAMPLEROLEID1234"

// checkQuotaIAM runs the whole chain on a local AWS (moto): a record crossing a block limit
// reaches the consumer, the enforcer rewrites the deny policy, and IAM's evaluator decides
// with the deployment's synthesized Bedrock policy and that deny policy as IAM now holds it:
// the blocked user's calls through the profile are denied, another user's allowed; after an
// unblock the blocked user is allowed again.
func checkQuotaIAM(t *testing.T, asm *cdktest.Assembly, d *settings.Deployment) {
	ctx := context.Background()
	bedrock := bedrockPolicy(t, asm, d.StackName(stacks.Auth), d)
	placeholder := templateDenyPolicy(t, asm, d.StackName(stacks.Quota))

	s, motoURL := storetest.New(t)
	ic := mototest.IAM(motoURL)
	p, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("deny0"), PolicyDocument: aws.String(placeholder)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	limit := d.Quota.Policies[0].Policy() // contractors: USD 200 a month, block
	if err := s.PutPolicy(ctx, limit, "test", now); err != nil {
		t.Fatal(err)
	}
	if err := s.PutProfile(ctx, "00ublocked", "b@example.com", []string{"contractors"}, now); err != nil {
		t.Fatal(err)
	}
	h := &ingest.Handler{Store: s, Caller: invocationlog.Caller{Account: logtest.Account, Role: logtest.Role},
		Counter: store.Counter{Prices: d.Bedrock.Prices, Location: time.UTC}, Policies: &store.PolicyCache{Store: s},
		UnknownGroups: quota.UnknownStrictest, Now: func() time.Time { return now }}
	e := &enforce.Enforcer{Store: s, IAM: ic, PolicyARNs: []string{aws.ToString(p.Policy.Arn)}, Now: func() time.Time { return now }}
	// USD 201 of Sonnet output (USD 15 a million) crosses the USD 200 limit.
	big := logtest.Record(now, logtest.Role, "00ublocked", "r1", logtest.Sonnet, 0, 201*1_000_000/15)
	if err := h.Handle(ctx, logtest.Event(now, big, logtest.Record(now, logtest.Role, "00uother", "r2", logtest.Sonnet, 10, 10))); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enforce(ctx); err != nil {
		t.Fatal(err)
	}
	blocked := liveDocument(t, ic, aws.ToString(p.Policy.Arn))
	decide(t, "blocked", d, []any{bedrock, blocked}, map[string]bool{"00ublocked": false, "00uother": true})

	if err := s.PutOverride(ctx, store.Override{Subject: "00ublocked", By: "admin", Until: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enforce(ctx); err != nil {
		t.Fatal(err)
	}
	decide(t, "after the unblock", d, []any{bedrock, liveDocument(t, ic, aws.ToString(p.Policy.Arn))}, map[string]bool{"00ublocked": true, "00uother": true})
	decide(t, "the template's placeholder", d, []any{bedrock, parse(t, placeholder)}, map[string]bool{"00ublocked": true})
}

// decide asks iam-simulate about each user's calls as Claude Code makes them through the
// profile: InvokeModel and the streaming call on the profile, and the routed call on the
// foundation model.
func decide(t *testing.T, when string, d *settings.Deployment, identity []any, allow map[string]bool) {
	t.Helper()
	src := d.Bedrock.Regions[0]
	profile := profileARN(src, d.Bedrock.CrossRegionProfile+"."+claudeModel)
	var cases []iamsim.Case
	var want []bool
	for sub, ok := range allow {
		for _, req := range []iamsim.Request{
			call("bedrock:InvokeModel", profile, src, ""),
			call("bedrock:InvokeModelWithResponseStream", profile, src, ""),
			call("bedrock:InvokeModel", modelARN(d.Bedrock.Regions[1], claudeModel), d.Bedrock.Regions[1], profile),
		} {
			req.Principal = fmt.Sprintf("arn:aws:sts::%s:assumed-role/bedrock-role/%s", testAccount, sub)
			req.Context["aws:userid"] = roleID + ":" + sub
			cases = append(cases, iamsim.Case{Name: sub + " " + req.Action + " " + req.Resource, Identity: identity, Request: req})
			want = append(want, ok)
		}
	}
	for i, r := range iamsim.Evaluate(t, cases) {
		if got := r.Decision == iamsim.Allowed; got != want[i] {
			t.Errorf("%s: %s: IAM says %s, want allowed=%v", when, cases[i].Name, r, want[i])
		}
		if !want[i] && r.Decision != iamsim.ExplicitlyDenied {
			t.Errorf("%s: %s is %s, want denied by the quota deny", when, cases[i].Name, r)
		}
	}
}

// templateDenyPolicy is the first deny policy's document in the synthesized quota stack.
func templateDenyPolicy(t *testing.T, asm *cdktest.Assembly, stack string) string {
	t.Helper()
	for _, r := range asm.Resources(t, stack, "AWS::IAM::ManagedPolicy") {
		b, _ := json.Marshal(props(r)["PolicyDocument"])
		return string(b)
	}
	t.Fatal("no deny policy in the quota stack")
	return ""
}

// liveDocument is a policy's default version as IAM returns it (URL-encoded).
func liveDocument(t *testing.T, ic *iam.Client, arn string) any {
	t.Helper()
	ctx := context.Background()
	p, err := ic.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ic.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: p.Policy.DefaultVersionId})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := url.QueryUnescape(aws.ToString(v.PolicyVersion.Document))
	if err != nil {
		t.Fatal(err)
	}
	if denypolicy.Size(raw) > denypolicy.MaxSize {
		t.Errorf("the live deny policy has %d characters", denypolicy.Size(raw))
	}
	return parse(t, raw)
}

func parse(t *testing.T, doc string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("policy %s: %v", doc, err)
	}
	return v
}
