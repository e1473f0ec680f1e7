// Package auth is the construct that lets users of an OpenID Connect identity provider
// call Amazon Bedrock without long-lived keys: an IAM OIDC provider, a role the ID token
// (direct federation) or a Cognito identity pool (cognito federation) can assume, and
// the Bedrock policy of that role.
package auth

import (
	"fmt"
	"strings"
	"time"

	"ccwb.dev/contract/federation"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// PrincipalTags maps session tag keys to the ID-token claims they carry (cognito
// federation); direct federation takes session tags from the IdP's
// https://aws.amazon.com/tags claim instead.
var PrincipalTags = map[string]string{"email": "email", "sub": "sub"}

// BedrockAuthProps configures BedrockAuth. The deployment settings validate the values;
// the construct panics on props no valid settings produce.
type BedrockAuthProps struct {
	// Issuer is the OpenID issuer URL exactly as in the ID token's iss claim. Required.
	Issuer string
	// ClientID is the public OAuth2 client: the audience the role (direct) or the OIDC
	// provider (cognito) accepts. Required.
	ClientID string
	// Federation is Direct or Cognito. Default Direct.
	Federation string
	// SessionDuration is the role's MaximumSessionDuration. Default federation.DefaultSessionDuration.
	SessionDuration time.Duration
	// Regions are the source Regions where the role may call Bedrock. Required.
	Regions []string
	// CrossRegionProfile is the cross-Region inference-profile prefix (geography) whose
	// profiles the role may invoke, and through them the foundation models in whatever
	// destination Region AWS routes to. Default "": in-Region model IDs only.
	CrossRegionProfile string
	// Models are the foundation-model ID patterns the role may use (IAM wildcards, e.g.
	// "anthropic.*"), directly and through profiles. Required.
	Models []string
	// ExistingOIDCProviderARN reuses an IAM OIDC provider instead of creating one; its
	// client IDs must hold ClientID. Default: a new provider.
	ExistingOIDCProviderARN string
	// Attribution is AttributionSubject or AttributionTags (direct federation only).
	// Default AttributionSubject.
	Attribution string
}

// BedrockAuth is the federation of one identity provider into one Bedrock role.
type BedrockAuth struct {
	constructs.Construct
	// OIDCProvider is the IAM OIDC provider of the issuer (created or imported).
	OIDCProvider awsiam.IOidcProvider
	// Role is the role the client assumes: trusted by the OIDC provider (direct) or by
	// cognito-identity.amazonaws.com for the pool (cognito).
	Role awsiam.Role
	// Policy is the Bedrock permission policy attached to Role.
	Policy awsiam.Policy
	// IdentityPool is the Cognito identity pool; nil with direct federation.
	IdentityPool awscognito.CfnIdentityPool
	// Federation is Direct or Cognito, the defaults applied.
	Federation string
	// SessionDuration is the role's maximum session, the default applied.
	SessionDuration time.Duration
}

// NewBedrockAuth creates the OIDC provider, the role, its Bedrock policy and, with cognito
// federation, the identity pool.
func NewBedrockAuth(scope constructs.Construct, id string, props *BedrockAuthProps) *BedrockAuth {
	p := props.withDefaults()
	c := constructs.NewConstruct(scope, jsii.String(id))
	a := &BedrockAuth{Construct: c, Federation: p.Federation, SessionDuration: p.SessionDuration}

	hostPath := strings.TrimSuffix(strings.TrimPrefix(p.Issuer, "https://"), "/")
	if p.ExistingOIDCProviderARN != "" {
		a.OIDCProvider = awsiam.OidcProviderNative_FromOidcProviderArn(c, jsii.String("OidcProvider"), jsii.String(p.ExistingOIDCProviderARN))
	} else {
		// No thumbprints: IAM verifies the IdP's TLS certificate itself.
		a.OIDCProvider = awsiam.NewOidcProviderNative(c, jsii.String("OidcProvider"), &awsiam.OidcProviderNativeProps{
			Url:       jsii.String(p.Issuer),
			ClientIds: jsii.Strings(p.ClientID),
		})
	}

	var principal awsiam.IPrincipal
	switch p.Federation {
	case federation.Direct:
		principal = awsiam.NewOpenIdConnectPrincipal(a.OIDCProvider, directTrust(hostPath, p.ClientID, p.Attribution))
	case federation.Cognito:
		a.IdentityPool = awscognito.NewCfnIdentityPool(c, jsii.String("IdentityPool"), &awscognito.CfnIdentityPoolProps{
			AllowUnauthenticatedIdentities: jsii.Bool(false),
			// The basic flow (GetOpenIdToken, then AssumeRoleWithWebIdentity) lets the
			// client ask for sessions longer than the enhanced flow's fixed hour.
			AllowClassicFlow:          jsii.Bool(true),
			OpenIdConnectProviderArns: &[]any{a.OIDCProvider.OidcProviderArn()},
		})
		awscognito.NewCfnIdentityPoolPrincipalTag(c, jsii.String("PrincipalTags"), &awscognito.CfnIdentityPoolPrincipalTagProps{
			IdentityPoolId:       a.IdentityPool.Ref(),
			IdentityProviderName: jsii.String(hostPath),
			PrincipalTags:        PrincipalTags,
			UseDefaults:          jsii.Bool(false),
		})
		principal = awsiam.NewWebIdentityPrincipal(jsii.String("cognito-identity.amazonaws.com"), &map[string]any{
			"StringEquals":           map[string]any{"cognito-identity.amazonaws.com:aud": a.IdentityPool.Ref()},
			"ForAnyValue:StringLike": map[string]any{"cognito-identity.amazonaws.com:amr": "authenticated"},
		}).WithSessionTags()
	}

	a.Role = awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:          principal,
		Description:        jsii.String(fmt.Sprintf("Claude Code on Bedrock for users of %s (%s federation)", p.Issuer, p.Federation)),
		MaxSessionDuration: awscdk.Duration_Seconds(jsii.Number(p.SessionDuration.Seconds())),
	})
	if p.Federation == federation.Direct {
		a.Role.AssumeRolePolicy().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Principals: &[]awsiam.IPrincipal{awsiam.NewFederatedPrincipal(a.OIDCProvider.OidcProviderArn(), nil, jsii.String("sts:TagSession"))},
			Actions:    jsii.Strings("sts:TagSession"),
			Conditions: tagSessionTrust(hostPath, p.ClientID, p.Attribution),
		}))
	}
	a.Policy = awsiam.NewPolicy(c, jsii.String("BedrockPolicy"), &awsiam.PolicyProps{
		Statements: BedrockStatements(p.access()),
		Roles:      &[]awsiam.IRole{a.Role},
	})
	a.suppressWildcards(p.access())
	if a.IdentityPool != nil {
		awscognito.NewCfnIdentityPoolRoleAttachment(c, jsii.String("RoleAttachment"), &awscognito.CfnIdentityPoolRoleAttachmentProps{
			IdentityPoolId: a.IdentityPool.Ref(),
			Roles:          map[string]any{"authenticated": a.Role.RoleArn()},
		})
	}
	return a
}

func (p BedrockAuthProps) access() ModelAccess {
	return ModelAccess{Regions: p.Regions, Profile: p.CrossRegionProfile, Models: p.Models}
}

func (props *BedrockAuthProps) withDefaults() BedrockAuthProps {
	if props == nil {
		panic("auth.NewBedrockAuth: props are required (Issuer, ClientID, Regions, Models)")
	}
	p := *props
	if p.Federation == "" {
		p.Federation = federation.Direct
	}
	if p.SessionDuration == 0 {
		p.SessionDuration = federation.DefaultSessionDuration
	}
	if p.Attribution == "" && p.Federation == federation.Direct {
		p.Attribution = federation.AttributionSubject
	}
	var problems []string
	if !strings.HasPrefix(p.Issuer, "https://") {
		problems = append(problems, fmt.Sprintf("Issuer %q is not an https URL", p.Issuer))
	}
	if p.ClientID == "" {
		problems = append(problems, "ClientID is empty")
	}
	if p.Federation != federation.Direct && p.Federation != federation.Cognito {
		problems = append(problems, fmt.Sprintf("Federation %q is neither %q nor %q", p.Federation, federation.Direct, federation.Cognito))
	}
	if p.Federation == federation.Direct && p.Attribution != federation.AttributionSubject && p.Attribution != federation.AttributionTags {
		problems = append(problems, fmt.Sprintf("Attribution %q is neither %q nor %q", p.Attribution, federation.AttributionSubject, federation.AttributionTags))
	}
	if p.Federation == federation.Cognito && p.Attribution != "" {
		problems = append(problems, "Attribution applies to direct federation only")
	}
	if !roleSession(p.SessionDuration) {
		problems = append(problems, sessionProblem(p.SessionDuration))
	}
	if len(p.Regions) == 0 {
		problems = append(problems, "Regions is empty")
	}
	if len(p.Models) == 0 {
		problems = append(problems, "Models is empty")
	}
	if len(problems) > 0 {
		panic("auth.NewBedrockAuth: " + strings.Join(problems, "; "))
	}
	return p
}

// roleSession reports whether d is a session a role may have: federation's bounds for
// direct federation (what STS grants), which a permission set's role shares.
func roleSession(d time.Duration) bool {
	return d >= federation.MinSessionDuration && d <= federation.MaxSessionDuration(federation.Direct)
}

func sessionProblem(d time.Duration) string {
	return fmt.Sprintf("SessionDuration %s is outside %dh..%dh", d,
		int(federation.MinSessionDuration.Hours()), int(federation.MaxSessionDuration(federation.Direct).Hours()))
}
