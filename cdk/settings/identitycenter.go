package settings

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/provider"
)

// IdentityCenter is an IAM Identity Center instance as the deployment's identity source
// (identity_provider.type "identity-center"): the auth stack creates a permission set with the
// Bedrock policy and assigns it to groups in one account, and users sign in at the access
// portal (docs/platform/identity-center.md).
type IdentityCenter struct {
	// InstanceARN is the Identity Center instance (arn:aws:sso:::instance/ssoins-...).
	InstanceARN string `json:"instance_arn"`
	// IdentityStoreID is the instance's identity store (d-...), for ccwb doctor's group check.
	IdentityStoreID string `json:"identity_store_id,omitempty"`
	// StartURL is the AWS access portal URL users sign in at.
	StartURL string `json:"start_url"`
	// Region is where the instance lives (default: the deployment region).
	Region string `json:"region,omitempty"`
	// AccountID is the account the permission set is assigned in, where users call Bedrock.
	AccountID string `json:"account_id"`
	// Groups are the identity-store group IDs the permission set is assigned to.
	Groups []string `json:"groups"`
	// PermissionSetName names the permission set (default "ClaudeCode-<name>").
	PermissionSetName string `json:"permission_set_name,omitempty"`
}

// Patterns from the Identity Center API reference (API_PermissionSet, API_CreateAccountAssignment).
var (
	instanceARNRe  = regexp.MustCompile(`^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$`)
	identityStore  = regexp.MustCompile(`^d-[0-9a-f]{10}$`)
	principalIDRe  = regexp.MustCompile(`^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$`)
	permissionSet  = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
	identityCenter = string(provider.IdentityCenter)
)

// UsesIdentityCenter reports whether the users sign in with IAM Identity Center.
func (d *Deployment) UsesIdentityCenter() bool { return d.IdentityProvider.Type == identityCenter }

// PermissionSetName is the permission set's name, the default applied.
func (d *Deployment) PermissionSetName() string {
	if n := d.IdentityProvider.IdentityCenter.PermissionSetName; n != "" {
		return n
	}
	return "ClaudeCode-" + d.Name
}

// IdentityCenterRegion is the instance's Region, the default applied.
func (d *Deployment) IdentityCenterRegion() string {
	if r := d.IdentityProvider.IdentityCenter.Region; r != "" {
		return r
	}
	return d.Region
}

// validateIdentityCenter checks an identity-center deployment: the instance, the portal, the
// account and groups; none of the OIDC settings; a session a permission set can last; no
// monitoring (the collector authenticates the ID token of an OIDC identity provider, which
// Identity Center does not issue to ccwb).
func (d *Deployment) validateIdentityCenter(v *validator) {
	const f = "identity_provider.identity_center."
	ic := d.IdentityProvider.IdentityCenter
	if !instanceARNRe.MatchString(ic.InstanceARN) {
		v.add(f+"instance_arn", "%q is not an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-<16 characters>); copy it from the IAM Identity Center console's Settings, or `aws sso-admin list-instances`", ic.InstanceARN)
	}
	if ic.IdentityStoreID != "" && !identityStore.MatchString(ic.IdentityStoreID) {
		v.add(f+"identity_store_id", "%q is not an identity store ID (d-<10 hex digits>); copy it from `aws sso-admin list-instances`, or leave it out", ic.IdentityStoreID)
	}
	if !strings.HasPrefix(ic.StartURL, "https://") || strings.ContainsAny(ic.StartURL, " ?#") {
		v.add(f+"start_url", "%q is not the access portal URL; copy it from the console's Settings (e.g. https://d-1234567890.awsapps.com/start)", ic.StartURL)
	}
	if ic.Region != "" && !KnownRegion(ic.Region) {
		v.add(f+"region", "%q is not a known region; give the Region of the Identity Center instance, or leave it out for the deployment region", ic.Region)
	}
	if !accountRe.MatchString(ic.AccountID) {
		v.add(f+"account_id", "%q is not an AWS account ID; give the 12 digits of the account where users call Bedrock", ic.AccountID)
	}
	if len(ic.Groups) == 0 {
		v.add(f+"groups", "missing; list the IDs of the identity-store groups whose members may use Claude Code (`aws identitystore get-group-id`)")
	}
	for i, g := range ic.Groups {
		if !principalIDRe.MatchString(g) {
			v.add(fmt.Sprintf("%sgroups[%d]", f, i), "%q is not a group ID (a GUID); look it up with `aws identitystore get-group-id --identity-store-id <id> --alternate-identifier ...`", g)
		}
	}
	if !permissionSet.MatchString(d.PermissionSetName()) {
		v.add(f+"permission_set_name", "%q is not a permission set name (1 to 32 letters, digits and +=,.@_-); set a shorter one", d.PermissionSetName())
	}
	d.rejectOIDCSettings(v)
	d.validateIdentityCenterSession(v)
	if d.Quota.Enabled {
		v.add("quota.enabled", "not available with identity-center: quotas are checked with the user's ID token and keyed on its verified subject, and Identity Center issues neither to ccwb; turn quotas off, or sign users in through an OIDC identity provider")
	}
	if d.Monitoring.Enabled {
		v.add("monitoring.enabled", "not available with identity-center yet: the collector accepts only ID tokens of an OpenID Connect identity provider, and Identity Center issues none to ccwb; turn monitoring off, or sign users in through an OIDC identity provider (the one Identity Center federates with, for instance) to have telemetry")
	}
	d.validateIdentityCenterDistribution(v)
}

// validateIdentityCenterDistribution: the distribution bucket and its presigned links work
// with any sign-in; the upgrade check reads latest.json with the Bedrock role, which an
// identity-center deployment does not have, and the landing page's load balancer signs users
// in with an OpenID Connect provider, which the access portal is not.
func (d *Deployment) validateIdentityCenterDistribution(v *validator) {
	x := d.Distribution
	if !x.Enabled {
		return
	}
	if x.UpgradeCheck == UpgradeCheckDaily {
		v.add("distribution.upgrade_check", "%q is not available with identity-center: the check reads latest.json with the Bedrock role, and the permission set replaces that role; set %q (users learn of upgrades from your links or MDM)", UpgradeCheckDaily, UpgradeCheckOff)
	}
	if x.LandingPage.Enabled {
		v.add("distribution.landing_page.enabled", "not available with identity-center: the load balancer signs users in with an OpenID Connect provider, and the access portal is not one; set it to false and hand out links with `ccwb distribute`, or publish the package through the access portal's applications")
	}
}

// rejectOIDCSettings refuses settings that belong to an OIDC identity provider.
func (d *Deployment) rejectOIDCSettings(v *validator) {
	idp, fed := d.IdentityProvider, d.Federation
	for _, s := range [][2]string{
		{"identity_provider.domain", idp.Domain}, {"identity_provider.client_id", idp.ClientID},
		{"identity_provider.client_secret", idp.ClientSecret}, {"identity_provider.telemetry_audience", idp.TelemetryAudience},
		{"identity_provider.telemetry_scope", idp.TelemetryScope}, {"federation.type", fed.Type},
		{"federation.attribution", fed.Attribution}, {"federation.existing_oidc_provider_arn", fed.ExistingOIDCProviderARN},
	} {
		if s[1] != "" {
			v.add(s[0], "does not apply to identity-center (users sign in at the access portal; the permission set replaces the OIDC provider and the role); remove it")
		}
	}
}

// validateIdentityCenterSession: a permission set's session lasts 1 to 12 hours
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html).
func (d *Deployment) validateIdentityCenterSession(v *validator) {
	dur, err := time.ParseDuration(d.Federation.SessionDuration)
	switch {
	case err != nil:
		v.add("federation.session_duration", "%q is not a duration; write it like \"8h\"", d.Federation.SessionDuration)
	case dur%time.Second != 0 || dur < federation.MinSessionDuration || dur > federation.MaxSessionDuration(federation.Direct):
		v.add("federation.session_duration", "%s is out of range for a permission set; use whole seconds from %s to %s", d.Federation.SessionDuration,
			ShortDuration(federation.MinSessionDuration), ShortDuration(federation.MaxSessionDuration(federation.Direct)))
	}
}
