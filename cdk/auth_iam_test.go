package main

import (
	"fmt"
	"slices"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cdktest/iamsim"
)

// testAccount is the account the synthesized templates are resolved for.
const testAccount = "123456789012"

// sessionARN is the caller of every Bedrock request: a session of the deployment's role.
const sessionARN = "arn:aws:sts::" + testAccount + ":assumed-role/bedrock-role/00u1user"

// Model IDs of the decisions: an Anthropic model the default allows, one it does not.
const (
	claudeModel = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	novaModel   = "amazon.nova-pro-v1:0"
)

// bedrockPolicy is the deployment's Bedrock policy document from the synthesized template,
// with every intrinsic resolved for testAccount and the deployment region.
func bedrockPolicy(t *testing.T, asm *cdktest.Assembly, stack string, d *settings.Deployment) any {
	t.Helper()
	_, pol, err := only(asm.Resources(t, stack, "AWS::IAM::Policy"))
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	doc, err := iamsim.Resolve(props(pol)["PolicyDocument"], iamsim.Env{Partition: "aws", Region: d.Region, Account: testAccount})
	if err != nil {
		t.Fatalf("Bedrock policy of %s: %v", stack, err)
	}
	return doc
}

// decision is one request and what IAM must answer.
type decision struct {
	name  string
	req   iamsim.Request
	allow bool
}

func call(action, resource, region string, through string) iamsim.Request {
	ctx := map[string]any{"aws:RequestedRegion": region}
	if through != "" {
		ctx["bedrock:InferenceProfileArn"] = through
	}
	return iamsim.Request{Principal: sessionARN, Action: action, Resource: resource, ResourceAccount: testAccount, Context: ctx}
}

func modelARN(region, model string) string {
	return fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", region, model)
}

func profileARN(region, id string) string {
	return fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/%s", region, testAccount, id)
}

// outsideRegion is a source Region of the geography that the deployment does not list: a
// destination AWS may route to that bedrock.regions does not name.
func outsideRegion(b settings.Bedrock) string {
	candidates := settings.ProfileSourceRegions[b.CrossRegionProfile]
	if len(candidates) == 0 {
		candidates = settings.Regions
	}
	for _, r := range candidates {
		if !slices.Contains(b.Regions, r) && settings.Partition(r) == "aws" {
			return r
		}
	}
	panic("no region outside " + fmt.Sprint(b.Regions))
}

// bedrockDecisions are the calls Claude Code makes, which IAM must allow, and the calls
// the design refuses, for one deployment's settings.
func bedrockDecisions(b settings.Bedrock) []decision {
	src, inside, outside := b.Regions[0], b.Regions[len(b.Regions)-1], outsideRegion(b)
	geo := b.CrossRegionProfile
	other := "us"
	if geo == "us" {
		other = "eu"
	}
	ds := []decision{
		{"ListInferenceProfiles in the source Region", call("bedrock:ListInferenceProfiles", "*", src, ""), true},
		{"ListFoundationModels in the source Region", call("bedrock:ListFoundationModels", "*", src, ""), true},
		{"ListInferenceProfiles outside the Regions", call("bedrock:ListInferenceProfiles", "*", outside, ""), false},
		{"in-Region InvokeModel in a configured Region", call("bedrock:InvokeModel", modelARN(inside, claudeModel), inside, ""), true},
		{"GetFoundationModel in the source Region", call("bedrock:GetFoundationModel", modelARN(src, claudeModel), src, ""), true},
		{"direct InvokeModel outside the Regions", call("bedrock:InvokeModel", modelARN(outside, claudeModel), outside, ""), false},
		{"a non-Anthropic model in-Region", call("bedrock:InvokeModel", modelARN(src, novaModel), src, ""), false},
		{"an action outside the seven", call("bedrock:CreateModelInvocationJob", "arn:aws:bedrock:"+src+":"+testAccount+":model-invocation-job/job", src, ""), false},
		{"another geography's profile", call("bedrock:InvokeModel", profileARN(src, other+"."+claudeModel), src, ""), false},
	}
	if geo == "" {
		return ds
	}
	profile := profileARN(src, geo+"."+claudeModel)
	ds = append(ds,
		decision{"InvokeModel through the profile", call("bedrock:InvokeModel", profile, src, ""), true},
		decision{"InvokeModelWithResponseStream through the profile", call("bedrock:InvokeModelWithResponseStream", profile, src, ""), true},
		decision{"GetInferenceProfile of the profile", call("bedrock:GetInferenceProfile", profile, src, ""), true},
		decision{"the profile in a Region outside the Regions", call("bedrock:InvokeModel", profileARN(outside, geo+"."+claudeModel), outside, ""), false},
		decision{"a non-Anthropic model's profile", call("bedrock:InvokeModel", profileARN(src, geo+"."+novaModel), src, ""), false},
		decision{"routed model call through another geography's profile", call("bedrock:InvokeModel", modelARN(outside, claudeModel), outside, profileARN(src, other+"."+claudeModel)), false},
		decision{"routed non-Anthropic model through its profile", call("bedrock:InvokeModel", modelARN(outside, novaModel), outside, profileARN(src, geo+"."+novaModel)), false},
	)
	if geo == "global" {
		return append(ds,
			decision{"routed call of a global profile (Region-less model ARN)", call("bedrock:InvokeModel", modelARN("", claudeModel), "unspecified", profile), true},
			decision{"routed streaming call of a global profile", call("bedrock:InvokeModelWithResponseStream", modelARN("", claudeModel), "unspecified", profile), true},
			decision{"Region-less model ARN without the profile", call("bedrock:InvokeModel", modelARN("", claudeModel), "unspecified", ""), false},
		)
	}
	return append(ds,
		decision{"routed call to a destination inside the Regions", call("bedrock:InvokeModel", modelARN(inside, claudeModel), inside, profile), true},
		decision{"routed call to a destination outside the Regions", call("bedrock:InvokeModel", modelARN(outside, claudeModel), outside, profile), true},
		decision{"routed streaming call outside the Regions", call("bedrock:InvokeModelWithResponseStream", modelARN(outside, claudeModel), outside, profile), true},
	)
}

// checkBedrockDecisions: the synthesized policy, evaluated by iam-simulate, allows exactly
// the calls the design allows.
func checkBedrockDecisions(t *testing.T, asm *cdktest.Assembly, stack string, d *settings.Deployment) {
	t.Helper()
	checkDecisions(t, bedrockPolicy(t, asm, stack, d), d.Bedrock)
}

// checkDecisions: the resolved policy document doc, evaluated by iam-simulate, allows exactly
// the calls the design allows for b.
func checkDecisions(t *testing.T, doc any, b settings.Bedrock) {
	t.Helper()
	ds := bedrockDecisions(b)
	cases := make([]iamsim.Case, len(ds))
	for i, dc := range ds {
		cases[i] = iamsim.Case{Name: dc.name, Identity: []any{doc}, Request: dc.req}
	}
	for i, r := range iamsim.Evaluate(t, cases) {
		if got := r.Decision == iamsim.Allowed; got != ds[i].allow {
			t.Errorf("%s: %s %s: IAM says %s, want allowed=%v", ds[i].name, ds[i].req.Action, ds[i].req.Resource, r, ds[i].allow)
		}
	}
}
