package settings

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ccwb.dev/contract/federation"
)

// valid returns settings that pass validation; each case below breaks one thing.
func valid() *Deployment {
	d := &Deployment{
		Name:             "ccwb",
		Region:           "us-east-1",
		IdentityProvider: IdentityProvider{Domain: "dev-123456.okta.com", ClientID: "0oa1b2c3"},
		Bedrock:          Bedrock{Regions: []string{"us-east-1", "us-west-2"}},
		Monitoring:       Monitoring{Enabled: true, CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab", DomainName: "otel.example.com"},
		Analytics:        Analytics{Enabled: true},
	}
	d.ApplyDefaults()
	return d
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Deployment)
		want   []string // exact problems, in order; nil means valid
	}{
		{"valid", func(d *Deployment) {}, nil},
		{"cognito 8h", func(d *Deployment) {
			d.Federation.Type, d.Federation.Attribution = "cognito", ""
			d.Federation.SessionDuration = "8h"
		}, nil},
		{"direct 12h", func(d *Deployment) { d.Federation.SessionDuration = "12h" }, nil},
		{"detected entra", func(d *Deployment) { d.IdentityProvider.Domain = "8a7b6c5d-1234-4abc-9def-0123456789ab" }, nil},
		{"google with secret", func(d *Deployment) {
			d.IdentityProvider = IdentityProvider{Domain: "accounts.google.com", ClientID: "123-abc.apps.googleusercontent.com", ClientSecret: "GOCSPX-x"}
		}, nil},
		{"name missing", func(d *Deployment) { d.Name = "" },
			[]string{`name: missing; set a short name such as "ccwb" (it prefixes every stack name)`}},
		{"name bad", func(d *Deployment) { d.Name = "1st_deploy" },
			[]string{`name: "1st_deploy" is not a valid stack name prefix; use at most 40 letters, digits and hyphens, starting with a letter`}},
		{"name too long", func(d *Deployment) { d.Name = "a" + strings.Repeat("b", 40) },
			[]string{`name: "a` + strings.Repeat("b", 40) + `" is not a valid stack name prefix; use at most 40 letters, digits and hyphens, starting with a letter`}},
		{"region unknown", func(d *Deployment) { d.Region = "us-east-9"; d.Bedrock.Regions = []string{"us-west-2"} },
			[]string{`region: "us-east-9" is not a region where Amazon Bedrock is available; use one of ` + strings.Join(Regions, ", ")}},
		{"region unknown, bedrock regions defaulted from it", func(d *Deployment) { d.Region = "us-east-9"; d.Bedrock.Regions = []string{"us-east-9"} },
			[]string{`region: "us-east-9" is not a region where Amazon Bedrock is available; use one of ` + strings.Join(Regions, ", ")}},
		{"account bad", func(d *Deployment) { d.Account = "12345" },
			[]string{`account: "12345" is not an AWS account ID; give the 12 digits, or leave it out to deploy to the current account`}},
		{"unknown provider type", func(d *Deployment) { d.IdentityProvider.Type = "ping" },
			[]string{`identity_provider.type: unknown provider type "ping": use one of okta, azure, auth0, cognito, google, generic`}},
		{"domain missing", func(d *Deployment) { d.IdentityProvider.Domain = "" },
			[]string{`identity_provider.domain: missing; give the IdP domain, e.g. "dev-123456.okta.com"`}},
		{"domain undetectable", func(d *Deployment) { d.IdentityProvider.Domain = "login.example.com" },
			[]string{`identity_provider.domain: cannot tell the provider type from "login.example.com": set the provider type (one of okta, azure, auth0, cognito, google, generic), or give a generic issuer as an https:// URL`}},
		{"okta domain malformed", func(d *Deployment) { d.IdentityProvider.Type = "okta"; d.IdentityProvider.Domain = "dev_1.okta.com" },
			[]string{`identity_provider.domain: okta domain "dev_1.okta.com" is malformed: expected a host such as dev-123456.okta.com, optionally with /oauth2/<server-id>`}},
		{"http issuer", func(d *Deployment) { d.IdentityProvider.Domain = "http://idp.example.com" },
			[]string{`identity_provider.domain: provider domain "http://idp.example.com" uses http: an OpenID issuer must use https`}},
		{"azure multi-tenant", func(d *Deployment) { d.IdentityProvider.Type = "azure"; d.IdentityProvider.Domain = "common" },
			[]string{`identity_provider.domain: azure tenant "common" is multi-tenant: ID tokens carry each user's own tenant as issuer, so give your directory (tenant) ID`}},
		{"client id empty", func(d *Deployment) { d.IdentityProvider.ClientID = " " },
			[]string{`identity_provider.client_id: missing; give the client ID of the public (native) app registered for ccwb at the IdP`}},
		{"client id with space", func(d *Deployment) { d.IdentityProvider.ClientID = "abc def" },
			[]string{`identity_provider.client_id: "abc def" is not a client ID (no spaces or quotes, at most 255 characters); copy it from the IdP's app registration`}},
		{"secret for okta", func(d *Deployment) { d.IdentityProvider.ClientSecret = "s3cret" },
			[]string{`identity_provider.client_secret: only Google installed-app clients use a secret; remove it and register a public client with PKCE`}},
		{"federation type", func(d *Deployment) { d.Federation.Type = "saml" },
			[]string{`federation.type: "saml" is not a federation type; use "direct" (IAM OIDC provider, up to 12h) or "cognito" (Cognito Identity Pool, up to 8h)`}},
		{"duration unparsable", func(d *Deployment) { d.Federation.SessionDuration = "8 hours" },
			[]string{`federation.session_duration: "8 hours" is not a duration; write it like "8h" or "90m"`}},
		{"duration fractional", func(d *Deployment) { d.Federation.SessionDuration = "1h0.5s" },
			[]string{`federation.session_duration: 1h0.5s is not a whole number of seconds; round it, e.g. "8h"`}},
		{"duration short", func(d *Deployment) { d.Federation.SessionDuration = "30m" },
			[]string{`federation.session_duration: 30m is out of range for direct federation; use 1h to 12h`}},
		{"duration long direct", func(d *Deployment) { d.Federation.SessionDuration = "13h" },
			[]string{`federation.session_duration: 13h is out of range for direct federation; use 1h to 12h`}},
		{"duration long cognito", func(d *Deployment) {
			d.Federation.Type, d.Federation.Attribution = "cognito", ""
			d.Federation.SessionDuration = "9h"
		},
			[]string{`federation.session_duration: 9h is out of range for cognito federation; use 1h to 8h`}},
		{"oidc arn malformed", func(d *Deployment) { d.Federation.ExistingOIDCProviderARN = "arn:aws:iam::123:role/x" },
			[]string{`federation.existing_oidc_provider_arn: "arn:aws:iam::123:role/x" is not an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer host/path>); copy it from IAM, or leave it out to create the provider`}},
		{"oidc arn other issuer", func(d *Deployment) {
			d.Federation.ExistingOIDCProviderARN = "arn:aws:iam::123456789012:oidc-provider/other.okta.com"
		}, []string{`federation.existing_oidc_provider_arn: names provider other.okta.com but the issuer is https://dev-123456.okta.com; give the ARN of the provider for dev-123456.okta.com`}},
		{"attribution tags", func(d *Deployment) { d.Federation.Attribution = "tags" }, nil},
		{"attribution unknown", func(d *Deployment) { d.Federation.Attribution = "email" },
			[]string{`federation.attribution: "email" is not an attribution mode; use "subject" (the session name must be the ID token's sub; nothing to set up at the IdP) or "tags" (the IdP emits the https://aws.amazon.com/tags claim; see docs/platform/identity-providers.md)`}},
		{"attribution subject with auth0", func(d *Deployment) {
			d.IdentityProvider.Domain, d.Federation.Attribution = "my-tenant.us.auth0.com", "subject"
		}, []string{`federation.attribution: "subject" cannot work with auth0: its subjects ("auth0|...") contain '|', which STS does not accept in a session name; use "tags" and add the Auth0 Action of docs/platform/identity-providers.md`}},
		{"attribution with cognito", func(d *Deployment) { d.Federation.Type = "cognito" },
			[]string{`federation.attribution: applies to direct federation only (Cognito's token names the identity ID, which no session name can hold); remove it`}},
		{"bedrock regions empty", func(d *Deployment) { d.Bedrock.Regions = nil },
			[]string{`bedrock.regions: empty; list the regions where users may call Bedrock, e.g. ["us-east-1", "us-east-2", "us-west-2"]`}},
		{"bedrock region unknown and twice", func(d *Deployment) { d.Bedrock.Regions = []string{"us-west-2", "mars-1", "us-west-2"} },
			[]string{
				`bedrock.regions[1]: "mars-1" is not a region where Amazon Bedrock is available; use one of ` + strings.Join(Regions, ", "),
				`bedrock.regions[2]: "us-west-2" is listed twice; remove the duplicate`,
			}},
		{"bedrock region other partition", func(d *Deployment) { d.Bedrock.Regions = []string{"us-gov-west-1"} },
			[]string{`bedrock.regions[0]: "us-gov-west-1" is in partition aws-us-gov but the deployment region us-east-1 is in aws; a role cannot grant across partitions`}},
		{"cross region profile", func(d *Deployment) { d.Bedrock.CrossRegionProfile = "usa" },
			[]string{`bedrock.cross_region_profile: "usa" is not an inference-profile prefix; use one of us, us-gov, eu, apac, jp, au, ca, global, or leave it empty for in-Region models`}},
		{"us profile, us models", func(d *Deployment) {
			d.Bedrock = Bedrock{Regions: []string{"us-east-1", "us-west-1", "ca-central-1"}, CrossRegionProfile: "us", AllowedModels: DefaultAllowedModels,
				Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", SmallFastModel: "us.anthropic.claude-haiku-4-5-20251001-v1:0"}
		}, nil},
		{"global profile from any commercial region", func(d *Deployment) {
			d.Bedrock = Bedrock{Regions: []string{"us-east-1", "af-south-1"}, CrossRegionProfile: "global", AllowedModels: DefaultAllowedModels, Model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0"}
		}, nil},
		{"in-region model", func(d *Deployment) { d.Bedrock.Model = "anthropic.claude-3-haiku-20240307-v1:0" }, nil},
		{"widened models", func(d *Deployment) {
			d.Bedrock.AllowedModels = []string{"anthropic.*", "amazon.nova-?ro-v1:0"}
			d.Bedrock.Model = "amazon.nova-pro-v1:0"
		}, nil},
		{"model of another geography", func(d *Deployment) {
			d.Bedrock.CrossRegionProfile, d.Bedrock.Model = "us", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
		}, []string{`bedrock.model: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0" has the prefix eu. but bedrock.cross_region_profile is "us"; use "us.anthropic.claude-sonnet-4-5-20250929-v1:0", or set cross_region_profile to match`}},
		{"in-region model with a profile", func(d *Deployment) {
			d.Bedrock.CrossRegionProfile, d.Bedrock.SmallFastModel = "us", "anthropic.claude-haiku-4-5-20251001-v1:0"
		}, []string{`bedrock.small_fast_model: "anthropic.claude-haiku-4-5-20251001-v1:0" has no inference-profile prefix but bedrock.cross_region_profile is "us"; use "us.anthropic.claude-haiku-4-5-20251001-v1:0", or set cross_region_profile to match`}},
		{"profile model without a profile", func(d *Deployment) { d.Bedrock.Model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0" },
			[]string{`bedrock.model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" is a us. inference profile but bedrock.cross_region_profile is empty (in-Region models); set cross_region_profile to "us", or use "anthropic.claude-sonnet-4-5-20250929-v1:0"`}},
		{"unknown prefix", func(d *Deployment) {
			d.Bedrock.CrossRegionProfile, d.Bedrock.Model = "eu", "europe.anthropic.claude-sonnet-4-5-20250929-v1:0"
			d.Bedrock.Regions = []string{"eu-west-1"}
		}, []string{`bedrock.model: "europe.anthropic.claude-sonnet-4-5-20250929-v1:0" starts with "europe.", which is not an inference-profile prefix (us, us-gov, eu, apac, jp, au, ca, global); use "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"`}},
		{"model not allowed", func(d *Deployment) { d.Bedrock.Model = "meta.llama3-70b-instruct-v1:0" },
			[]string{`bedrock.model: "meta.llama3-70b-instruct-v1:0" is not allowed by bedrock.allowed_models ["anthropic.*"]; pick a model that matches, or add a pattern for "meta.llama3-70b-instruct-v1:0"`}},
		{"model arn", func(d *Deployment) {
			d.Bedrock.Model = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"
		}, []string{`bedrock.model: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc" is an ARN; give a model ID with no inference-profile prefix (bedrock.cross_region_profile): the role allows no application inference profiles`}},
		{"allowed model patterns", func(d *Deployment) { d.Bedrock.AllowedModels = []string{"*", "us.anthropic.*", "anthropic.[a-z]*"} },
			[]string{
				`bedrock.allowed_models[0]: "*" is not a foundation-model ID pattern; give a provider, a dot and the model ID with * or ? wildcards and no inference-profile prefix, e.g. "anthropic.*" or "amazon.nova-pro-v1:0"`,
				`bedrock.allowed_models[1]: "us.anthropic.*" is not a foundation-model ID pattern; give a provider, a dot and the model ID with * or ? wildcards and no inference-profile prefix, e.g. "anthropic.*" or "amazon.nova-pro-v1:0"`,
				`bedrock.allowed_models[2]: "anthropic.[a-z]*" is not a foundation-model ID pattern; give a provider, a dot and the model ID with * or ? wildcards and no inference-profile prefix, e.g. "anthropic.*" or "amazon.nova-pro-v1:0"`,
			}},
		{"allowed models emptied", func(d *Deployment) { d.Bedrock.AllowedModels = []string{} },
			[]string{`bedrock.allowed_models: empty; list the foundation-model ID patterns the role may use, e.g. ["anthropic.*"] (the default)`}},
		{"region outside the geography", func(d *Deployment) {
			d.Bedrock.CrossRegionProfile, d.Bedrock.Regions = "us", []string{"us-east-1", "eu-west-1"}
		}, []string{`bedrock.regions[1]: "eu-west-1" is not a source Region of the us. inference profiles; use us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, or change bedrock.cross_region_profile`}},
		{"jp geography", func(d *Deployment) {
			d.Region = "ap-northeast-1"
			d.Bedrock = Bedrock{Regions: []string{"ap-northeast-1", "ap-southeast-1"}, CrossRegionProfile: "jp", AllowedModels: DefaultAllowedModels}
		}, []string{`bedrock.regions[1]: "ap-southeast-1" is not a source Region of the jp. inference profiles; use ap-northeast-1, ap-northeast-3, or change bedrock.cross_region_profile`}},
		{"client fields", func(d *Deployment) {
			d.Client = Client{ProfileName: "my profile", CredentialStorage: "disk", CallbackPort: 80}
		}, []string{
			`client.profile_name: "my profile" is not a usable AWS CLI profile name; use letters, digits, '.', '_' and '-'`,
			`client.credential_storage: "disk" is not a storage kind; use "keyring" (the OS keyring) or "session" (0600 files)`,
			`client.callback_port: 80 is not an unprivileged TCP port; use 1024 to 65535 (default 8400), matching the redirect URI registered at the IdP`,
		}},
		{"monitoring vpc", func(d *Deployment) { d.Monitoring.VPCID = "vpc-0123abcd"; d.Monitoring.SubnetIDs = []string{"sub-1"} },
			[]string{
				`monitoring.subnet_ids: with vpc_id, list at least two public subnets in different availability zones`,
				`monitoring.subnet_ids[0]: "sub-1" is not a subnet ID (subnet-0123abcd...)`,
			}},
		{"monitoring subnets without vpc", func(d *Deployment) { d.Monitoring.SubnetIDs = []string{"subnet-0123abcd", "subnet-0123abce"} },
			[]string{`monitoring.subnet_ids: given without vpc_id; set vpc_id too, or remove subnet_ids to create a VPC`}},
		{"monitoring https", func(d *Deployment) {
			d.Monitoring.DomainName = ""
			d.Monitoring.HostedZoneID = "z123"
		}, []string{
			`monitoring.domain_name: missing while certificate_arn is set; give the name the certificate covers`,
			`monitoring.hosted_zone_id: "z123" is not a Route 53 hosted zone ID (Z0123...)`,
			`monitoring.hosted_zone_id: set without domain_name; give the record name to create, or remove hosted_zone_id`,
		}},
		{"monitoring without a certificate", func(d *Deployment) { d.Monitoring.CertificateARN, d.Monitoring.DomainName = "", "" },
			[]string{`monitoring.certificate_arn: missing: telemetry carries each user's ID token as its bearer token, and over plain HTTP anyone on the path can capture it and exchange it for Bedrock credentials; give an ACM certificate (with domain_name), or set allow_plain_http to true for a test deployment`}},
		{"monitoring over plain http, said on purpose", func(d *Deployment) {
			d.Monitoring.CertificateARN, d.Monitoring.DomainName, d.Monitoring.AllowPlainHTTP = "", "", true
		}, nil},
		{"monitoring with one task", func(d *Deployment) { d.Monitoring.MinTasks = 1 },
			[]string{`monitoring.min_tasks: 1 is below 2; the collector runs in two availability zones, so run at least two tasks (default 2)`}},
		{"monitoring tasks and retention", func(d *Deployment) {
			d.Monitoring.MinTasks = 4
			d.Monitoring.MaxTasks = 3
			d.Monitoring.LogRetentionDays = 10
			d.Monitoring.AlarmEmail = "Ops <ops@example.com>"
		}, []string{
			`monitoring.max_tasks: 3 is below min_tasks (4); raise it`,
			`monitoring.log_retention_days: 10 is not a retention CloudWatch Logs accepts; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
			`monitoring.alarm_email: "Ops <ops@example.com>" is not an email address; give a bare address such as ops@example.com`,
		}},
		{"metric dimensions, declared right", func(d *Deployment) {
			d.Monitoring.MetricDimensions = []MetricDimension{
				{Attribute: "department", Values: []string{"engineering", "sales"}}, {Attribute: "team.id", Values: []string{"platform"}},
			}
		}, nil},
		{"metric dimensions, declared wrong", func(d *Deployment) {
			d.Monitoring.MetricDimensions = []MetricDimension{
				{Attribute: "user.email", Values: []string{"a@example.com"}},
				{Attribute: "department"},
				{Attribute: "team.id", Values: []string{"platform", "platform", "Küche"}},
				{Attribute: "department", Values: []string{"sales"}},
			}
		}, []string{
			`monitoring.metric_dimensions[0].attribute: "user.email" cannot be a metric dimension; use one of organization, department, team.id, cost_center, location, role (attributes of one person, such as user.email, belong in the logs, where the dashboard's per-user views read them)`,
			`monitoring.metric_dimensions[1].values: 0 values; declare the 1 to 100 values to chart (each adds one custom metric per Claude Code metric)`,
			`monitoring.metric_dimensions[2].values[1]: "platform" is listed twice; remove one`,
			`monitoring.metric_dimensions[2].values[2]: "Küche" is not a CloudWatch dimension value; give 1 to 1024 printable ASCII characters, not only spaces`,
			`monitoring.metric_dimensions[3].attribute: department is already declared in metric_dimensions[1]; merge the two lists of values`,
		}},
		{"monitoring off ignores its options", func(d *Deployment) {
			d.Monitoring = Monitoring{VPCID: "nope"}
			d.Analytics.Enabled = false
		}, nil},
		{"analytics without monitoring", func(d *Deployment) { d.Monitoring.Enabled = false },
			[]string{`analytics.enabled: analytics reads the metrics the monitoring stack collects; set monitoring.enabled to true, or analytics.enabled to false`}},
		{"analytics options", func(d *Deployment) {
			d.Analytics.BufferSeconds = 30
			d.Analytics.BufferMB = 5
			d.Analytics.RetentionDays = -1
			d.Analytics.QueryLimitGB = -2
			d.Analytics.Quotas.TokensPerMinute = -5
		}, []string{
			`analytics.retention_days: -1 is below 1; keep data at least a day (default 365)`,
			`analytics.buffer_seconds: 30 is outside Firehose's 60 to 900 seconds (default 300)`,
			`analytics.buffer_mb: 5 is outside 64 to 128 MB, the range Firehose allows with Parquet conversion (default 128)`,
			`analytics.query_limit_gb: -2 is below 1 GB; raise it (default 10)`,
			`analytics.quotas: a quota is negative; give 0 (no quota) or a positive limit`,
		}},
		{"tags", func(d *Deployment) { d.Tags = map[string]string{"aws:owner": "x", "team": strings.Repeat("v", 257)} },
			[]string{
				`tags["aws:owner"]: the aws: prefix is reserved for AWS; rename the tag`,
				`tags["team"]: the value is longer than 256 characters; shorten it`,
			}},
		{"many problems at once", func(d *Deployment) {
			d.Name = ""
			d.IdentityProvider.Type = "ping"
			d.IdentityProvider.ClientID = ""
			d.Federation.SessionDuration = "20h"
		}, []string{
			`name: missing; set a short name such as "ccwb" (it prefixes every stack name)`,
			`identity_provider.type: unknown provider type "ping": use one of okta, azure, auth0, cognito, google, generic`,
			`identity_provider.client_id: missing; give the client ID of the public (native) app registered for ccwb at the IdP`,
			`federation.session_duration: 20h is out of range for direct federation; use 1h to 12h`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := valid()
			tt.change(d)
			err := d.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			}
			if got, want := strings.Join(ve.Problems, "\n"), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, want)
			}
			if !strings.HasPrefix(err.Error(), "invalid deployment settings:\n  ") || strings.Count(err.Error(), "\n") != len(tt.want) {
				t.Errorf("Error() is not one problem a line:\n%s", err)
			}
		})
	}
}

func TestProvider(t *testing.T) {
	tests := []struct {
		typ, domain string
		wantType    string
		wantIssuer  string
	}{
		{"", "dev-123456.okta.com", "okta", "https://dev-123456.okta.com"},
		{"okta", "dev-123456.okta.com/oauth2/default", "okta", "https://dev-123456.okta.com/oauth2/default"},
		{"", "my-tenant.us.auth0.com", "auth0", "https://my-tenant.us.auth0.com/"},
		{"", "8a7b6c5d-1234-4abc-9def-0123456789ab", "azure", "https://login.microsoftonline.com/8a7b6c5d-1234-4abc-9def-0123456789ab/v2.0"},
		{"", "eu-west-1_AbCdEf123", "cognito", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"},
		{"", "accounts.google.com", "google", "https://accounts.google.com"},
		{"generic", "https://sso.example.com/realms/dev", "generic", "https://sso.example.com/realms/dev"},
	}
	for _, tt := range tests {
		d := valid()
		d.IdentityProvider.Type, d.IdentityProvider.Domain = tt.typ, tt.domain
		typ, issuer, err := d.Provider()
		if err != nil || string(typ) != tt.wantType || issuer != tt.wantIssuer {
			t.Errorf("Provider(%q, %q) = %q, %q, %v; want %q, %q", tt.typ, tt.domain, typ, issuer, err, tt.wantType, tt.wantIssuer)
		}
	}
}

func TestDefaults(t *testing.T) {
	d := &Deployment{Region: "eu-west-1"}
	d.ApplyDefaults()
	if d.Federation.Type != "direct" || d.SessionDuration() != federation.DefaultSessionDuration || d.Client.CallbackPort != 8400 ||
		d.Client.CredentialStorage != "keyring" || d.Client.ProfileName != "ClaudeCode" || len(d.Bedrock.Regions) != 1 || d.Bedrock.Regions[0] != "eu-west-1" {
		t.Errorf("defaults not applied: %+v", d)
	}
	d = &Deployment{Monitoring: Monitoring{MinTasks: 9}}
	d.ApplyDefaults()
	if d.Monitoring.MaxTasks != 9 {
		t.Errorf("max_tasks default with min_tasks 9 = %d, want 9", d.Monitoring.MaxTasks)
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{8 * time.Hour: "8h", 90 * time.Minute: "1h30m", 45 * time.Minute: "45m", 90 * time.Second: "1m30s", 10 * time.Second: "10s", 168 * time.Hour: "168h"} {
		if got := ShortDuration(d); got != want {
			t.Errorf("ShortDuration(%v) = %s, want %s", d, got, want)
		}
	}
}
