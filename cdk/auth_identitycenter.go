package main

import (
	"strconv"

	"ccwb.dev/constructs/auth"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// newIdentityCenterAuthStack is <name>-auth of an identity-center deployment: the permission
// set with the Bedrock policy, assigned to the configured groups in one account. It deploys in
// the account and Region that manage the Identity Center instance.
func newIdentityCenterAuthStack(app awscdk.App, dep *deployment) *authStack {
	d := dep.settings
	ic := d.IdentityProvider.IdentityCenter
	stack := newStack(app, d, stacks.Auth, "IAM Identity Center permission set for Claude Code on Bedrock")
	a := auth.NewIdentityCenterAccess(stack, "IdentityCenterAccess", &auth.IdentityCenterAccessProps{
		InstanceARN:        ic.InstanceARN,
		Name:               d.PermissionSetName(),
		AccountID:          ic.AccountID,
		Groups:             ic.Groups,
		SessionDuration:    d.SessionDuration(),
		Regions:            d.Bedrock.Regions,
		CrossRegionProfile: d.Bedrock.CrossRegionProfile,
		Models:             d.Bedrock.AllowedModels,
		Description:        "Claude Code on Amazon Bedrock (ccwb deployment " + d.Name + ")",
	})
	output(stack, outputs.ProviderType, jsii.String(string(provider.IdentityCenter)), "identity source")
	output(stack, outputs.IdentityCenterStartURL, jsii.String(ic.StartURL), "AWS access portal users sign in at")
	output(stack, outputs.IdentityCenterRegion, jsii.String(d.IdentityCenterRegion()), "Region of the Identity Center instance")
	output(stack, outputs.IdentityCenterAccountID, jsii.String(ic.AccountID), "account the permission set is assigned in")
	output(stack, outputs.PermissionSetName, jsii.String(d.PermissionSetName()), "permission set (the role name the portal hands out)")
	output(stack, outputs.PermissionSetARN, a.PermissionSet.AttrPermissionSetArn(), "permission set ARN")
	output(stack, outputs.Region, stack.Region(), "region of the deployment")
	output(stack, outputs.SessionDurationSeconds, jsii.String(strconv.Itoa(int(a.SessionDuration.Seconds()))), "AWS session lifetime in seconds")
	return &authStack{Stack: stack, IdentityCenter: a}
}
