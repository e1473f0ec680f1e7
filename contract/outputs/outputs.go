// Package outputs names the CloudFormation stack outputs that reach the end-user
// config.json (docs/architecture.md, "Stack outputs"). The stacks write them and `ccwb package`
// reads them (from `cdk deploy --outputs-file` or DescribeStacks), so the names are
// constants here and nowhere else. The package imports nothing: the packager links it
// without CDK.
//
// The names are stable: renaming one breaks every deployed stack's consumers. Add, never
// rename.
package outputs

// Auth stack outputs.
const (
	// IssuerURL is the OpenID issuer exactly as in the ID token's iss claim.
	IssuerURL = "IssuerUrl"
	// ProviderType is okta, azure, auth0, cognito, google or generic.
	ProviderType = "ProviderType"
	// ClientID is the public OAuth2 client registered at the IdP.
	ClientID = "ClientId"
	// FederationType is direct or cognito.
	FederationType = "FederationType"
	// RoleARN is the role the client assumes: the Bedrock role (direct) or the identity
	// pool's authenticated role (cognito).
	RoleARN = "RoleArn"
	// IdentityPoolID is the Cognito identity pool (cognito federation only).
	IdentityPoolID = "IdentityPoolId"
	// OIDCProviderARN is the IAM OIDC provider the role trusts (created or reused).
	OIDCProviderARN = "OidcProviderArn"
	// Region is where the client calls STS and Cognito Identity.
	Region = "Region"
	// SessionDurationSeconds is the session lifetime the client asks STS for.
	SessionDurationSeconds = "SessionDurationSeconds"
)

// Auth lists the auth stack outputs in the order the stack declares them; IdentityPoolID
// only with cognito federation.
var Auth = []string{IssuerURL, ProviderType, ClientID, FederationType, RoleARN, IdentityPoolID, OIDCProviderARN, Region, SessionDurationSeconds}

// Monitoring stack outputs.
const (
	// OTelEndpoint is the collector's OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT);
	// `ccwb package` puts it into config.json as otel_endpoint.
	OTelEndpoint = "OtelCollectorEndpoint"
	// MetricsLogGroup is the log group the collector writes EMF metrics to.
	MetricsLogGroup = "MetricsLogGroupName"
	// Dashboard is the CloudWatch dashboard's name.
	Dashboard = "DashboardName"
)
