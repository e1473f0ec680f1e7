package main

import (
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest/iamsim"
	"ccwb.dev/contract/federation"
)

// trustSubject is the verified subject of the ID token in the trust decisions.
const trustSubject = "00u1jane"

// webIdentity is what STS puts in the request context of AssumeRoleWithWebIdentity (or
// TagSession) for a token of the OIDC provider hostPath: the token's aud and sub, the
// session name the client asked for, and the tags of the token's tags claim.
func webIdentity(hostPath, aud, sessionName string, tags map[string]string) map[string]any {
	ctx := map[string]any{hostPath + ":aud": aud, hostPath + ":sub": trustSubject, "sts:RoleSessionName": sessionName}
	var keys []string
	for k, v := range tags {
		ctx["aws:RequestTag/"+k] = v
		keys = append(keys, k)
	}
	if len(keys) > 0 {
		ctx["aws:TagKeys"] = keys
	}
	return ctx
}

// checkTrustDecisions: the synthesized trust policy, evaluated by iam-simulate, lets in the
// right token and keeps out a wrong audience, another provider, and (direct federation) a
// session the token does not attribute: a session name other than the subject, or a
// missing or mismatched tags claim, per federation.attribution.
func checkTrustDecisions(t *testing.T, trust any, d *settings.Deployment, hostPath string, providerRef, poolRef any) {
	t.Helper()
	providerARN := "arn:aws:iam::" + testAccount + ":oidc-provider/" + hostPath
	poolID := d.Region + ":11111111-2222-4333-8444-555555555555"
	env := iamsim.Env{Partition: "aws", Region: d.Region, Account: testAccount, Refs: map[string]string{}}
	if ref, ok := providerRef.(map[string]any); ok {
		env.Refs[ref["Ref"].(string)] = providerARN
	} else {
		providerARN = providerRef.(string)
	}
	if ref, ok := poolRef.(map[string]any); ok {
		env.Refs[ref["Ref"].(string)] = poolID
	}
	doc, err := iamsim.Resolve(trust, env)
	if err != nil {
		t.Fatalf("trust policy: %v", err)
	}
	client := d.IdentityProvider.ClientID
	req := func(principal, action string, ctx map[string]any) iamsim.Request {
		return iamsim.Request{Principal: principal, Action: action, Resource: "arn:aws:iam::" + testAccount + ":role/bedrock-role",
			ResourceAccount: testAccount, Context: ctx}
	}
	const assume, tag = "sts:AssumeRoleWithWebIdentity", "sts:TagSession"
	other := "arn:aws:iam::" + testAccount + ":oidc-provider/other.example.com"
	cognitoCtx := func(pool string, amr ...string) map[string]any {
		return map[string]any{"cognito-identity.amazonaws.com:aud": pool, "cognito-identity.amazonaws.com:amr": amr,
			"cognito-identity.amazonaws.com:sub": d.Region + ":0f0e0d0c-0000-4000-8000-000000000000", "sts:RoleSessionName": "jane.doe-example.com"}
	}
	var ds []decision
	if d.Federation.Type == federation.Cognito {
		ds = []decision{
			{"Cognito token of the pool, authenticated", req("cognito-identity.amazonaws.com", assume, cognitoCtx(poolID, "authenticated", hostPath)), true},
			{"Cognito token of the pool tags the session", req("cognito-identity.amazonaws.com", tag, cognitoCtx(poolID, "authenticated", hostPath)), true},
			{"Cognito token of another pool", req("cognito-identity.amazonaws.com", assume, cognitoCtx(d.Region+":99999999-2222-4333-8444-555555555555", "authenticated", hostPath)), false},
			{"unauthenticated Cognito identity", req("cognito-identity.amazonaws.com", assume, cognitoCtx(poolID, "unauthenticated")), false},
			{"the IdP's token straight to STS", req(providerARN, assume, webIdentity(hostPath, client, trustSubject, nil)), false},
		}
	} else {
		good, name := map[string]string(nil), trustSubject
		if d.Federation.Attribution == federation.AttributionTags {
			good, name = map[string]string{"sub": trustSubject, "email": "jane.doe@example.com"}, "jane.doe-example.com"
		}
		ds = []decision{
			{"the client's token", req(providerARN, assume, webIdentity(hostPath, client, name, good)), true},
			{"the client's token tags the session", req(providerARN, tag, webIdentity(hostPath, client, name, good)), true},
			{"a token for another audience", req(providerARN, assume, webIdentity(hostPath, "another-app", name, good)), false},
			{"another provider's token", req(other, assume, webIdentity("other.example.com", client, name, good)), false},
			{"a Cognito token", req("cognito-identity.amazonaws.com", assume, cognitoCtx(poolID, "authenticated", hostPath)), false},
		}
		if d.Federation.Attribution == federation.AttributionTags {
			ds = append(ds,
				decision{"no tags claim", req(providerARN, assume, webIdentity(hostPath, client, name, nil)), false},
				decision{"a sub tag other than the subject", req(providerARN, assume, webIdentity(hostPath, client, name, map[string]string{"sub": "00u1mallory", "email": "m@example.com"})), false},
				decision{"no email tag", req(providerARN, assume, webIdentity(hostPath, client, name, map[string]string{"sub": trustSubject})), false},
			)
		} else {
			ds = append(ds, decision{"a session name other than the subject", req(providerARN, assume, webIdentity(hostPath, client, "jane.doe@example.com", nil)), false})
		}
	}
	cases := make([]iamsim.Case, len(ds))
	for i, dc := range ds {
		cases[i] = iamsim.Case{Name: dc.name, Resource: doc, Trust: true, Request: dc.req}
	}
	for i, r := range iamsim.Evaluate(t, cases) {
		if got := r.Decision == iamsim.Allowed; got != ds[i].allow {
			t.Errorf("trust: %s: IAM says %s, want allowed=%v", ds[i].name, r, ds[i].allow)
		}
	}
}
