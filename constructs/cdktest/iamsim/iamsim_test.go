package iamsim

import (
	"fmt"
	"reflect"
	"testing"
)

// TestEvaluateBridgesTheEvaluator: the evaluator's decisions come back per case, in
// order, with the mode that says whether the reference validated the request.
func TestEvaluateBridgesTheEvaluator(t *testing.T) {
	policy := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": "eu-west-1"}},
	}}}
	req := func(action, region string) Request {
		return Request{Principal: "arn:aws:iam::123456789012:role/r", Action: action, Resource: "arn:aws:s3:::bucket/key",
			ResourceAccount: "123456789012", Context: map[string]any{"aws:RequestedRegion": region}}
	}
	trust := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
		"Principal": map[string]any{"Federated": "arn:aws:iam::123456789012:oidc-provider/idp.example.com"},
		"Condition": map[string]any{"StringEquals": map[string]any{"idp.example.com:aud": "client"}},
	}}}
	assume := func(aud string) Request {
		return Request{Principal: "arn:aws:iam::123456789012:oidc-provider/idp.example.com", Action: "sts:AssumeRoleWithWebIdentity",
			Resource: "arn:aws:iam::123456789012:role/r", ResourceAccount: "123456789012", Context: map[string]any{"idp.example.com:aud": aud}}
	}
	got := Evaluate(t, []Case{
		{Name: "allowed", Identity: []any{policy}, Request: req("s3:GetObject", "eu-west-1")},
		{Name: "other region", Identity: []any{policy}, Request: req("s3:GetObject", "us-east-1")},
		{Name: "other action", Identity: []any{policy}, Request: req("s3:PutObject", "eu-west-1")},
		{Name: "trust, right audience", Resource: trust, Trust: true, Request: assume("client")},
		{Name: "trust, wrong audience", Resource: trust, Trust: true, Request: assume("other")},
	})
	want := []Result{
		{Decision: Allowed, Mode: "validated"},
		{Decision: ImplicitlyDenied, Mode: "validated"},
		{Decision: ImplicitlyDenied, Mode: "validated"},
		{Decision: Allowed, Mode: "unvalidated"},
		{Decision: ImplicitlyDenied, Mode: "unvalidated"},
	}
	for i := range want {
		if got[i].Decision != want[i].Decision || got[i].Mode != want[i].Mode {
			t.Errorf("case %d = %s, want %s (%s)", i, got[i], want[i].Decision, want[i].Mode)
		}
	}
	if got[3].Note != "context keys not in the Service Authorization Reference for sts:AssumeRoleWithWebIdentity: idp.example.com:aud" {
		t.Errorf("note = %q", got[3].Note)
	}
}

func TestResolve(t *testing.T) {
	env := Env{Partition: "aws", Region: "eu-west-1", Account: "123456789012",
		Refs: map[string]string{"Pool": "eu-west-1:abc"}, Attrs: map[string]string{"Role.Arn": "arn:aws:iam::123456789012:role/r"}}
	in := map[string]any{
		"Resource": map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":bedrock:*::x"}}},
		"Aud":      map[string]any{"Ref": "Pool"},
		"List":     []any{map[string]any{"Fn::GetAtt": []any{"Role", "Arn"}}, "plain"},
	}
	got, err := Resolve(in, env)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Resource": "arn:aws:bedrock:*::x", "Aud": "eu-west-1:abc", "List": []any{"arn:aws:iam::123456789012:role/r", "plain"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve = %v, want %v", got, want)
	}
	if _, err := Resolve(map[string]any{"Ref": "Unknown"}, env); err == nil {
		t.Error("an unknown Ref resolved")
	}
}

// BenchmarkEvaluate: one evaluator process per batch; its start (Node and the Service
// Authorization Reference data) dominates, so tests batch their cases.
func BenchmarkEvaluate(b *testing.B) {
	policy := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}}}
	c := Case{Identity: []any{policy}, Request: Request{Principal: "arn:aws:iam::123456789012:role/r", Action: "s3:GetObject",
		Resource: "arn:aws:s3:::bucket/key", ResourceAccount: "123456789012"}}
	for _, n := range []int{1, 32} {
		b.Run(fmt.Sprintf("cases-%d", n), func(b *testing.B) {
			for range b.N {
				cases := make([]Case, n)
				for i := range cases {
					cases[i] = c
				}
				Evaluate(b, cases)
			}
		})
	}
}
