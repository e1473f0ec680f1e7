package main

import (
	"strconv"

	"ccwb.dev/constructs/auth"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// authStack is <name>-auth: the identity federation and the Bedrock role.
type authStack struct {
	awscdk.Stack
	Auth           *auth.BedrockAuth          // nil for identity-center
	IdentityCenter *auth.IdentityCenterAccess // identity-center only (auth_identitycenter.go)
}

func newAuthStack(app awscdk.App, dep *deployment) *authStack {
	d := dep.settings
	stack := newStack(app, d, stacks.Auth, "identity federation and the Bedrock role for Claude Code")
	typ, issuer := dep.provider, dep.issuer
	a := auth.NewBedrockAuth(stack, "BedrockAuth", &auth.BedrockAuthProps{
		Issuer:                  issuer,
		ClientID:                d.IdentityProvider.ClientID,
		Federation:              d.Federation.Type,
		SessionDuration:         d.SessionDuration(),
		Regions:                 d.Bedrock.Regions,
		CrossRegionProfile:      d.Bedrock.CrossRegionProfile,
		Models:                  d.Bedrock.AllowedModels,
		ExistingOIDCProviderARN: d.Federation.ExistingOIDCProviderARN,
		Attribution:             d.Federation.Attribution,
	})

	output(stack, outputs.IssuerURL, jsii.String(issuer), "OpenID issuer URL (the iss claim of ID tokens)")
	output(stack, outputs.ProviderType, jsii.String(string(typ)), "identity provider type")
	output(stack, outputs.ClientID, jsii.String(d.IdentityProvider.ClientID), "public OAuth2 client ID registered at the IdP")
	output(stack, outputs.FederationType, jsii.String(a.Federation), "direct or cognito")
	output(stack, outputs.RoleARN, a.Role.RoleArn(), "role the credential process assumes")
	if a.IdentityPool != nil {
		output(stack, outputs.IdentityPoolID, a.IdentityPool.Ref(), "Cognito identity pool ID")
	}
	output(stack, outputs.OIDCProviderARN, a.OIDCProvider.OidcProviderArn(), "IAM OIDC provider of the issuer")
	output(stack, outputs.Region, stack.Region(), "region of STS and Cognito Identity calls")
	output(stack, outputs.SessionDurationSeconds, jsii.String(strconv.Itoa(int(a.SessionDuration.Seconds()))), "AWS session lifetime in seconds")
	return &authStack{Stack: stack, Auth: a}
}
