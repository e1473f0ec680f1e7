package settings

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/provider"
)

// MaxNameLength leaves room for the longest stack suffix ("-monitoring") within
// CloudFormation's 128-character stack names, and for names derived from it.
const MaxNameLength = 40

// LogRetentionDays are the retention periods CloudWatch Logs accepts.
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var (
	nameRe      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)
	accountRe   = regexp.MustCompile(`^\d{12}$`)
	profileRe   = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	vpcRe       = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	subnetRe    = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	certRe      = regexp.MustCompile(`^arn:aws(-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]+$`)
	zoneRe      = regexp.MustCompile(`^Z[0-9A-Z]{1,31}$`)
	oidcARNRe   = regexp.MustCompile(`^arn:aws(-us-gov)?:iam::\d{12}:oidc-provider/(.+)$`)
	clientIDBad = regexp.MustCompile(`[\s"'<>\\]`)
)

// ValidationError lists every problem of a settings file, one a line, each naming the
// JSON field and the fix.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return "invalid deployment settings:\n  " + strings.Join(e.Problems, "\n  ")
}

// Validate checks the settings (after ApplyDefaults) and returns a *ValidationError
// listing every problem, or nil.
func (d *Deployment) Validate() error {
	var v validator
	d.validateTop(&v)
	if d.UsesIdentityCenter() {
		d.validateIdentityCenter(&v)
	} else {
		d.validateIdentity(&v)
		d.validateTelemetry(&v)
		d.validateFederation(&v)
		d.validateQuota(&v)
	}
	d.validateBedrock(&v)
	d.validateClient(&v)
	d.validateMonitoring(&v)
	d.validateAnalytics(&v)
	d.validateDistribution(&v)
	d.validateTags(&v)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

type validator struct{ problems []string }

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, field+": "+fmt.Sprintf(format, args...))
}

func (d *Deployment) validateTop(v *validator) {
	switch {
	case d.Name == "":
		v.add("name", "missing; set a short name such as \"ccwb\" (it prefixes every stack name)")
	case len(d.Name) > MaxNameLength || !nameRe.MatchString(d.Name):
		v.add("name", "%q is not a valid stack name prefix; use at most %d letters, digits and hyphens, starting with a letter", d.Name, MaxNameLength)
	}
	switch {
	case d.Region == "":
		v.add("region", "missing; set the AWS region to deploy to, e.g. \"us-east-1\"")
	case !KnownRegion(d.Region):
		v.add("region", "%q is not a region where Amazon Bedrock is available; use one of %s", d.Region, strings.Join(Regions, ", "))
	}
	if d.Account != "" && !accountRe.MatchString(d.Account) {
		v.add("account", "%q is not an AWS account ID; give the 12 digits, or leave it out to deploy to the current account", d.Account)
	}
}

func (d *Deployment) validateIdentity(v *validator) {
	idp := d.IdentityProvider
	typeOK := true
	if idp.Type != "" {
		if _, err := provider.ParseType(idp.Type); err != nil {
			typeOK = false
			v.add("identity_provider.type", "%s", err)
		}
	}
	if idp.Domain == "" {
		v.add("identity_provider.domain", "missing; give the IdP domain, e.g. \"dev-123456.okta.com\"")
	} else if typeOK {
		if _, _, err := d.Provider(); err != nil {
			v.add("identity_provider.domain", "%s", err)
		}
	}
	switch {
	case strings.TrimSpace(idp.ClientID) == "":
		v.add("identity_provider.client_id", "missing; give the client ID of the public (native) app registered for ccwb at the IdP")
	case len(idp.ClientID) > 255 || clientIDBad.MatchString(idp.ClientID):
		v.add("identity_provider.client_id", "%q is not a client ID (no spaces or quotes, at most 255 characters); copy it from the IdP's app registration", idp.ClientID)
	}
	if idp.ClientSecret != "" && typeOK {
		if t, _, err := d.Provider(); err == nil && t != provider.Google {
			v.add("identity_provider.client_secret", "only Google installed-app clients use a secret; remove it and register a public client with PKCE")
		}
	}
}

func (d *Deployment) validateFederation(v *validator) {
	f := d.Federation
	limit := federation.MaxSessionDuration(federation.Direct)
	switch f.Type {
	case federation.Direct:
	case federation.Cognito:
		limit = federation.MaxSessionDuration(federation.Cognito)
	default:
		v.add("federation.type", "%q is not a federation type; use %q (IAM OIDC provider, up to %s) or %q (Cognito Identity Pool, up to %s)", f.Type,
			federation.Direct, ShortDuration(federation.MaxSessionDuration(federation.Direct)), federation.Cognito, ShortDuration(federation.MaxSessionDuration(federation.Cognito)))
	}
	dur, err := time.ParseDuration(f.SessionDuration)
	switch {
	case err != nil:
		v.add("federation.session_duration", "%q is not a duration; write it like \"8h\" or \"90m\"", f.SessionDuration)
	case dur%time.Second != 0:
		v.add("federation.session_duration", "%s is not a whole number of seconds; round it, e.g. \"8h\"", f.SessionDuration)
	case dur < federation.MinSessionDuration || dur > limit:
		v.add("federation.session_duration", "%s is out of range for %s federation; use %s to %s", f.SessionDuration, f.Type, ShortDuration(federation.MinSessionDuration), ShortDuration(limit))
	}
	d.validateAttribution(v)
	if f.ExistingOIDCProviderARN != "" {
		m := oidcARNRe.FindStringSubmatch(f.ExistingOIDCProviderARN)
		if m == nil {
			v.add("federation.existing_oidc_provider_arn", "%q is not an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer host/path>); copy it from IAM, or leave it out to create the provider", f.ExistingOIDCProviderARN)
		} else if _, issuer, err := d.Provider(); err == nil && m[2] != provider.HostPath(issuer) {
			v.add("federation.existing_oidc_provider_arn", "names provider %s but the issuer is %s; give the ARN of the provider for %s", m[2], issuer, provider.HostPath(issuer))
		}
	}
}

// ShortDuration spells a duration as people write it in the settings: 8h0m0s as 8h, 1h30m0s
// as 1h30m.
func ShortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func (d *Deployment) validateClient(v *validator) {
	c := d.Client
	if !profileRe.MatchString(c.ProfileName) {
		v.add("client.profile_name", "%q is not a usable AWS CLI profile name; use letters, digits, '.', '_' and '-'", c.ProfileName)
	}
	if c.CredentialStorage != config.StorageKeyring && c.CredentialStorage != config.StorageSession {
		v.add("client.credential_storage", "%q is not a storage kind; use %q (the OS keyring) or %q (0600 files)", c.CredentialStorage, config.StorageKeyring, config.StorageSession)
	}
	if c.CallbackPort < 1024 || c.CallbackPort > 65535 {
		v.add("client.callback_port", "%d is not an unprivileged TCP port; use 1024 to 65535 (default %d), matching the redirect URI registered at the IdP", c.CallbackPort, config.DefaultCallbackPort)
	}
	d.validateLogin(v)
}

func (d *Deployment) validateMonitoring(v *validator) {
	m := d.Monitoring
	if !m.Enabled {
		return
	}
	validateNetwork(v, "monitoring.", m.VPCID, m.SubnetIDs)
	if m.CertificateARN != "" && !certRe.MatchString(m.CertificateARN) {
		v.add("monitoring.certificate_arn", "%q is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)", m.CertificateARN)
	}
	if m.DomainName != "" && !provider.IsHostName(m.DomainName) {
		v.add("monitoring.domain_name", "%q is not a DNS name; give a lower-case name such as otel.example.com", m.DomainName)
	}
	if m.CertificateARN == "" && !m.AllowPlainHTTP {
		v.add("monitoring.certificate_arn", "missing: telemetry carries each user's ID token as its bearer token, and over plain HTTP anyone on the path can capture it and exchange it for Bedrock credentials; give an ACM certificate (with domain_name), or set allow_plain_http to true for a test deployment")
	}
	if m.CertificateARN != "" && m.DomainName == "" {
		v.add("monitoring.domain_name", "missing while certificate_arn is set; give the name the certificate covers")
	}
	if m.HostedZoneID != "" {
		if !zoneRe.MatchString(m.HostedZoneID) {
			v.add("monitoring.hosted_zone_id", "%q is not a Route 53 hosted zone ID (Z0123...)", m.HostedZoneID)
		}
		if m.DomainName == "" {
			v.add("monitoring.hosted_zone_id", "set without domain_name; give the record name to create, or remove hosted_zone_id")
		}
	}
	if m.MinTasks < 2 {
		v.add("monitoring.min_tasks", "%d is below 2; the collector runs in two availability zones, so run at least two tasks (default %d)", m.MinTasks, DefaultMinTasks)
	}
	if m.MaxTasks < m.MinTasks {
		v.add("monitoring.max_tasks", "%d is below min_tasks (%d); raise it", m.MaxTasks, m.MinTasks)
	}
	if !slices.Contains(LogRetentionDays, m.LogRetentionDays) {
		v.add("monitoring.log_retention_days", "%d is not a retention CloudWatch Logs accepts; use one of %s", m.LogRetentionDays, intList(LogRetentionDays))
	}
	if m.AlarmEmail != "" {
		if a, err := mail.ParseAddress(m.AlarmEmail); err != nil || a.Address != m.AlarmEmail {
			v.add("monitoring.alarm_email", "%q is not an email address; give a bare address such as ops@example.com", m.AlarmEmail)
		}
	}
	validateDimensions(v, m.MetricDimensions)
}

// validateDimensions applies the collector's rules for group dimensions
// (collector.GroupDimension.Check) and refuses an attribute declared twice.
func validateDimensions(v *validator, dims []MetricDimension) {
	declared := map[string]int{}
	for i, d := range dims {
		field := fmt.Sprintf("monitoring.metric_dimensions[%d]", i)
		for _, p := range d.Collector().Check() {
			v.add(field+"."+p.Field, "%s", p.Problem)
		}
		if j, ok := declared[d.Attribute]; ok {
			v.add(field+".attribute", "%s is already declared in metric_dimensions[%d]; merge the two lists of values", d.Attribute, j)
		}
		declared[d.Attribute] = i
	}
}

func (d *Deployment) validateAnalytics(v *validator) {
	a := d.Analytics
	if !a.Enabled {
		return
	}
	if !d.Monitoring.Enabled {
		v.add("analytics.enabled", "analytics reads the metrics the monitoring stack collects; set monitoring.enabled to true, or analytics.enabled to false")
	}
	if a.RetentionDays < 1 {
		v.add("analytics.retention_days", "%d is below 1; keep data at least a day (default %d)", a.RetentionDays, DefaultRetentionDays)
	}
	if a.BufferSeconds < 60 || a.BufferSeconds > 900 {
		v.add("analytics.buffer_seconds", "%d is outside Firehose's 60 to 900 seconds (default %d)", a.BufferSeconds, DefaultBufferSeconds)
	}
	if a.BufferMB < 64 || a.BufferMB > 128 {
		v.add("analytics.buffer_mb", "%d is outside 64 to 128 MB, the range Firehose allows with Parquet conversion (default %d)", a.BufferMB, DefaultBufferMB)
	}
	if a.QueryLimitGB < 1 {
		v.add("analytics.query_limit_gb", "%d is below 1 GB; raise it (default %d)", a.QueryLimitGB, DefaultQueryLimitGB)
	}
	q := a.Quotas
	if q.MonthlyTokensPerUser < 0 || q.TokensPerMinute < 0 || q.RequestsPerMinute < 0 {
		v.add("analytics.quotas", "a quota is negative; give 0 (no quota) or a positive limit")
	}
}

func (d *Deployment) validateTags(v *validator) {
	keys := make([]string, 0, len(d.Tags))
	for k := range d.Tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field := fmt.Sprintf("tags[%q]", k)
		switch {
		case k == "" || len(k) > 128:
			v.add(field, "a tag key must be 1 to 128 characters")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.add(field, "the aws: prefix is reserved for AWS; rename the tag")
		}
		if len(d.Tags[k]) > 256 {
			v.add(field, "the value is longer than 256 characters; shorten it")
		}
	}
}

func intList(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
