package main

import (
	"slices"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cdktest/iamsim"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// managementAccount is where an identity-center auth stack deploys (the account managing
// the instance); the permission set is assigned in testAccount, where users call Bedrock.
const managementAccount = "111111111111"

func identityCenterSettings(t *testing.T, name string, groups []string, b settings.Bedrock, session string) *settings.Deployment {
	t.Helper()
	d := &settings.Deployment{
		Name: name, Region: "us-east-1", Account: managementAccount,
		IdentityProvider: settings.IdentityProvider{Type: "identity-center", IdentityCenter: settings.IdentityCenter{
			InstanceARN: "arn:aws:sso:::instance/ssoins-1234567890abcdef", StartURL: "https://d-1234567890.awsapps.com/start",
			Region: "eu-west-1", AccountID: testAccount, Groups: groups,
		}},
		Federation: settings.Federation{SessionDuration: session},
		Bedrock:    b,
	}
	d.ApplyDefaults()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestIdentityCenterStack: the auth stack of an identity-center deployment is a permission
// set and one assignment per group; the permission set's inline policy is the Bedrock role's
// policy, naming the assigned account (checked by iam-simulate with the requests of the OIDC
// deployments); no cdk-nag finding; cfn-lint clean. The second deployment also has the
// distribution bucket, which needs no Bedrock role without the upgrade check.
func TestIdentityCenterStack(t *testing.T) {
	groups := []string{"f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "9067f5a8e2-2b5d4c7a-1e3f-4a5b-8c9d-0e1f2a3b4c5d"}
	cases := []*settings.Deployment{
		identityCenterSettings(t, "ic", groups, settings.Bedrock{Regions: []string{"us-east-1", "us-east-2", "us-west-2"}, CrossRegionProfile: "us"}, "12h"),
		identityCenterSettings(t, "ic-global", groups[:1], settings.Bedrock{Regions: []string{"us-east-1"}, CrossRegionProfile: "global"}, ""),
	}
	withBucket := cases[1]
	withBucket.Distribution.Enabled, withBucket.Distribution.UpgradeCheck = true, settings.UpgradeCheckOff
	if err := withBucket.Validate(); err != nil {
		t.Fatal(err)
	}
	asm := cdktest.Synth(t, func(app awscdk.App) {
		for _, d := range cases {
			composeStacks(app, d)
		}
	})
	if got := asm.Stacks(); !slices.Equal(got, []string{"ic-auth", "ic-global-auth", "ic-global-distribution"}) {
		t.Errorf("stacks %v: an identity-center deployment has its auth stack, and the distribution stack when enabled", got)
	}
	if p := asm.Resources(t, withBucket.StackName(stacks.Distribution), "AWS::IAM::Policy"); len(p) != 0 {
		t.Errorf("the distribution stack of an identity-center deployment grants %d IAM policies; it has no role to grant to", len(p))
	}
	if b := asm.Resources(t, withBucket.StackName(stacks.Distribution), "AWS::S3::Bucket"); len(b) == 0 {
		t.Error("the distribution stack of an identity-center deployment has no bucket")
	}
	for _, d := range cases {
		t.Run(d.Name, func(t *testing.T) { checkIdentityCenterStack(t, asm, d) })
	}
	t.Run("cdk-nag", func(t *testing.T) { asm.RequireNoNagFindings(t) })
	t.Run("cfn-lint", func(t *testing.T) { cdktest.CfnLint(t, asm.Dir) })
}

func checkIdentityCenterStack(t *testing.T, asm *cdktest.Assembly, d *settings.Deployment) {
	stack := d.StackName(stacks.Auth)
	ic := d.IdentityProvider.IdentityCenter
	psID, ps, err := only(asm.Resources(t, stack, "AWS::SSO::PermissionSet"))
	if err != nil {
		t.Fatalf("permission set: %v", err)
	}
	p := props(ps)
	wantDuration := map[string]string{"12h0m0s": "PT12H", "8h0m0s": "PT8H"}[d.SessionDuration().String()]
	if p["InstanceArn"] != ic.InstanceARN || p["Name"] != "ClaudeCode-"+d.Name || p["SessionDuration"] != wantDuration {
		t.Errorf("permission set %s", js(without(p, "InlinePolicy")))
	}
	doc, err := iamsim.Resolve(p["InlinePolicy"], iamsim.Env{Partition: "aws", Region: d.Region, Account: managementAccount})
	if err != nil {
		t.Fatal(err)
	}
	checkDecisions(t, doc, d.Bedrock)

	assignments := asm.Resources(t, stack, "AWS::SSO::Assignment")
	var principals []string
	for _, a := range assignments {
		ap := props(a)
		principals = append(principals, ap["PrincipalId"].(string))
		want := map[string]any{"InstanceArn": ic.InstanceARN, "PrincipalType": "GROUP", "TargetType": "AWS_ACCOUNT", "TargetId": testAccount,
			"PermissionSetArn": map[string]any{"Fn::GetAtt": []any{psID, "PermissionSetArn"}}, "PrincipalId": ap["PrincipalId"]}
		if !jsonEqual(ap, want) {
			t.Errorf("assignment %s, want %s", js(ap), js(want))
		}
	}
	if !slices.Equal(sorted(principals), sorted(ic.Groups)) {
		t.Errorf("assigned to %v, want one assignment per group %v", principals, ic.Groups)
	}
	res, _ := asm.TemplateJSON(t, stack)["Resources"].(map[string]any)
	n := 0
	for _, r := range res {
		if r.(map[string]any)["Type"] != "AWS::CDK::Metadata" { // only the CLI adds it
			n++
		}
	}
	if n != 1+len(ic.Groups) {
		t.Errorf("%d resources, want the permission set and %d assignments only", n, len(ic.Groups))
	}
	outs, _ := asm.TemplateJSON(t, stack)["Outputs"].(map[string]any)
	var names []string
	for n := range outs {
		names = append(names, n)
	}
	if !slices.Equal(sorted(names), sorted(outputs.IdentityCenter)) {
		t.Errorf("outputs %v, want %v", sorted(names), sorted(outputs.IdentityCenter))
	}
}
