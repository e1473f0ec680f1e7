// Package settings is the one schema of a ccwb deployment: what the CDK app reads from
// context, what `ccwb init` writes, and what docs/platform/settings.md documents field by field. Load reads and validates a
// file, Write stores one, Validate lists every problem with the field and the fix.
package settings

import (
	"ccwb.dev/contract/collector"
	"ccwb.dev/contract/pricing"
)

// Deployment is everything one deployment needs. Durations are Go duration strings
// ("8h", "90m"); every other unit is in the field name.
type Deployment struct {
	// Name prefixes every stack name (<name>-auth, <name>-monitoring, ...). Two
	// deployments with different names live side by side in one account and region.
	Name string `json:"name"`
	// Region is the AWS region the stacks deploy to (and where STS is called).
	Region string `json:"region"`
	// Account optionally pins the AWS account ID the stacks deploy to.
	Account string `json:"account,omitempty"`

	IdentityProvider IdentityProvider `json:"identity_provider"`
	Federation       Federation       `json:"federation"`
	Bedrock          Bedrock          `json:"bedrock"`
	Client           Client           `json:"client"`
	Monitoring       Monitoring       `json:"monitoring"`
	Analytics        Analytics        `json:"analytics"`
	Quota            Quota            `json:"quota"`
	Distribution     Distribution     `json:"distribution"`

	// Tags are applied to every resource of every stack.
	Tags map[string]string `json:"tags,omitempty"`
}

// IdentityProvider is the OIDC identity provider the users sign in with.
type IdentityProvider struct {
	// Type is okta, azure, auth0, cognito, google or generic; detected from Domain when empty.
	Type string `json:"type,omitempty"`
	// Domain is the IdP as an administrator knows it: dev-123.okta.com[/oauth2/<id>], an
	// Entra tenant ID, my-tenant.us.auth0.com, a Cognito user pool ID, accounts.google.com,
	// or a generic issuer https:// URL.
	Domain string `json:"domain"`
	// ClientID is the public (native/SPA) OAuth2 client registered for ccwb.
	ClientID string `json:"client_id"`
	// ClientSecret only for Google, whose installed-app clients carry a non-confidential secret.
	ClientSecret string `json:"client_secret,omitempty"`
	// TelemetryAudience optionally names an API at the IdP whose access tokens the
	// otel-helper sends to the collector instead of the ID token: the collector accepts only
	// that audience, and STS does not accept it for the Bedrock role. Okta: the audience of
	// the custom authorization server; Entra ID: the API application's client ID; Auth0: the
	// API identifier. Not for Cognito or Google (see docs/platform/identity-providers.md).
	TelemetryAudience string `json:"telemetry_audience,omitempty"`
	// TelemetryScope is asked for at sign-in to get that token (Entra ID: required,
	// api://<app>/<scope>; Okta: a scope of the authorization server, optional).
	TelemetryScope string `json:"telemetry_scope,omitempty"`
	// IdentityCenter is set when Type is "identity-center" (identitycenter.go).
	IdentityCenter IdentityCenter `json:"identity_center,omitzero"`
}

// Federation is how an ID token becomes AWS credentials.
type Federation struct {
	// Type is "direct" (IAM OIDC provider + AssumeRoleWithWebIdentity, up to 12h) or
	// "cognito" (Cognito Identity Pool, up to 8h).
	Type string `json:"type"`
	// SessionDuration is the AWS session lifetime, e.g. "8h" (default "8h").
	SessionDuration string `json:"session_duration,omitempty"`
	// ExistingOIDCProviderARN reuses an IAM OIDC provider already in the account (IAM
	// allows one provider per issuer URL per account); its client ID list must already
	// hold ClientID. Both federation types use the IAM OIDC provider.
	ExistingOIDCProviderARN string `json:"existing_oidc_provider_arn,omitempty"`
	// Attribution (direct federation) is what the role's trust policy requires so that
	// every session names the identity the ID token proves: "subject" (the session name
	// must be the token's sub; default) or "tags" (the IdP must emit the
	// https://aws.amazon.com/tags claim with sub and email; default for auth0, whose
	// subjects no session name can hold).
	Attribution string `json:"attribution,omitempty"`
}

// Bedrock is what the federated role may do.
type Bedrock struct {
	// Regions are the source Regions where users call Bedrock (in-Region model ARNs,
	// inference-profile ARNs, and aws:RequestedRegion for list actions). With a
	// cross-Region profile they must be source Regions of its geography; the destination
	// Regions are AWS's choice within that geography.
	Regions []string `json:"regions"`
	// CrossRegionProfile is the inference-profile prefix (geography) Claude Code uses: us,
	// us-gov, eu, apac, jp, au, ca, global, or "" for in-Region models.
	CrossRegionProfile string `json:"cross_region_profile,omitempty"`
	// AllowedModels are the foundation-model ID patterns the role may use, with IAM
	// wildcards (default ["anthropic.*"]).
	AllowedModels []string `json:"allowed_models,omitempty"`
	// Model is the Claude Code model (ANTHROPIC_MODEL), e.g. "us.anthropic.claude-sonnet-4-5-20250929-v1:0".
	Model string `json:"model,omitempty"`
	// SmallFastModel is ANTHROPIC_SMALL_FAST_MODEL, optional.
	SmallFastModel string `json:"small_fast_model,omitempty"`
	// Prices are USD per million tokens by model ID substring, for the analytics cost
	// queries and the quota service (default pricing.Defaults); PricesAsOf is their date.
	Prices     []pricing.Price `json:"prices,omitempty"`
	PricesAsOf string          `json:"prices_as_of,omitempty"`
}

// Client is how the end-user binaries behave.
type Client struct {
	// ProfileName is the AWS CLI profile the installer writes (default "ClaudeCode").
	ProfileName string `json:"profile_name,omitempty"`
	// CredentialStorage is "keyring" (default) or "session" (0600 files).
	CredentialStorage string `json:"credential_storage,omitempty"`
	// CallbackPort is the loopback port of the login redirect (default 8400); it must
	// match the redirect URI registered at the IdP: http://localhost:<port>/callback.
	CallbackPort int `json:"callback_port,omitempty"`
	// Login is how users sign in: "browser", "device" or "auto" (default: the device code
	// over SSH or without a display, the browser otherwise).
	Login string `json:"login,omitempty"`
}

// Monitoring is the OpenTelemetry collector stack.
type Monitoring struct {
	Enabled bool `json:"enabled"`
	// VPCID and SubnetIDs use an existing VPC (public subnets in at least two AZs)
	// instead of creating one.
	VPCID     string   `json:"vpc_id,omitempty"`
	SubnetIDs []string `json:"subnet_ids,omitempty"`
	// CertificateARN (ACM) turns on HTTPS on the load balancer; DomainName is the name
	// users reach it by (with HostedZoneID, a Route 53 alias record is created).
	CertificateARN string `json:"certificate_arn,omitempty"`
	DomainName     string `json:"domain_name,omitempty"`
	HostedZoneID   string `json:"hosted_zone_id,omitempty"`
	// AllowPlainHTTP accepts an ingest endpoint without a certificate. The collector's
	// bearer token is the user's ID token, which STS exchanges for Bedrock credentials:
	// over plain HTTP anyone on the path can capture and reuse it. For test deployments only.
	AllowPlainHTTP bool `json:"allow_plain_http,omitempty"`
	// MinTasks and MaxTasks bound the collector service's auto scaling (default 2 and 6).
	MinTasks int `json:"min_tasks,omitempty"`
	MaxTasks int `json:"max_tasks,omitempty"`
	// CollectorImage overrides the pinned collector image.
	CollectorImage string `json:"collector_image,omitempty"`
	// LogRetentionDays for the metrics and collector log groups (default 30).
	LogRetentionDays int `json:"log_retention_days,omitempty"`
	// AlarmEmail optionally subscribes an address to the alarms' SNS topic.
	AlarmEmail string `json:"alarm_email,omitempty"`
	// MetricDimensions are group attributes (department, team...) to chart as CloudWatch
	// metric dimensions, each with the values to chart; none by default. Per-user and
	// per-group views otherwise come from the metrics log group.
	MetricDimensions []MetricDimension `json:"metric_dimensions,omitempty"`
}

// MetricDimension is one group attribute charted as a metric dimension, for the values
// listed (and the attribute's default): each value adds one custom metric per Claude
// Code metric, whatever clients send.
type MetricDimension struct {
	Attribute string   `json:"attribute"`
	Values    []string `json:"values"`
}

// Collector is d as the collector configuration takes it.
func (d MetricDimension) Collector() collector.GroupDimension {
	return collector.GroupDimension{Attribute: d.Attribute, Values: d.Values}
}

// Analytics is the Firehose → S3 Parquet → Athena pipeline; it needs Monitoring.
type Analytics struct {
	Enabled bool `json:"enabled"`
	// RetentionDays keeps analytics data this long in S3 (default 365).
	RetentionDays int `json:"retention_days,omitempty"`
	// BufferSeconds and BufferMB are Firehose buffering hints (default 300 s, 128 MB).
	BufferSeconds int `json:"buffer_seconds,omitempty"`
	BufferMB      int `json:"buffer_mb,omitempty"`
	// QueryLimitGB caps the bytes one Athena query may scan (default 10).
	QueryLimitGB int `json:"query_limit_gb,omitempty"`
	// Quotas used by the quota-tracking query.
	Quotas Quotas `json:"quotas,omitempty"`
}

// Quotas are the limits the quota-tracking query compares usage with.
type Quotas struct {
	MonthlyTokensPerUser int64 `json:"monthly_tokens_per_user,omitempty"`
	TokensPerMinute      int64 `json:"tokens_per_minute,omitempty"`
	RequestsPerMinute    int64 `json:"requests_per_minute,omitempty"`
}
