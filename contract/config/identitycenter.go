package config

import (
	"fmt"
	"slices"
	"strings"

	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/signin"
)

// IdentityCenter is where an identity-center profile signs in and what it asks for: the
// AWS access portal, its Region, and the account and permission set (the role name the
// portal's GetRoleCredentials takes).
type IdentityCenter struct {
	StartURL  string `json:"start_url"`
	Region    string `json:"region"`
	AccountID string `json:"account_id"`
	RoleName  string `json:"role_name"`
}

// isAccountID reports whether s is an AWS account ID: twelve digits. (No regular expression:
// compiling one at start cost every run of the credential process.)
func isAccountID(s string) bool { return len(s) == 12 && strings.Trim(s, "0123456789") == "" }

// LoginMethod is the profile's login method, signin.Auto when unset.
func (p Profile) LoginMethod() string {
	if p.Login == "" {
		return signin.Auto
	}
	return p.Login
}

func (p Profile) loginProblems() []string {
	if p.Login != "" && !slices.Contains(signin.Methods, p.Login) {
		return []string{fmt.Sprintf("login: %q is not a login method; use one of %s", p.Login, strings.Join(signin.Methods, ", "))}
	}
	if p.Login == signin.Device && p.ProviderType == string(provider.Cognito) {
		return []string{"login: Cognito user pools have no device authorization grant; use browser or auto"}
	}
	return nil
}

// identityCenterProblems checks an identity-center profile: the portal and the role, and
// none of the OIDC fields, which would mean the file mixes two kinds of deployment.
func (p Profile) identityCenterProblems() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	ic := p.IdentityCenter
	if ic == nil {
		return []string{"identity_center: missing (needed for provider_type identity-center); re-run `ccwb package`"}
	}
	if !strings.HasPrefix(ic.StartURL, "https://") {
		add("identity_center.start_url: %q is not an https URL", ic.StartURL)
	}
	if ic.Region == "" {
		add("identity_center.region: missing")
	}
	if !isAccountID(ic.AccountID) {
		add("identity_center.account_id: %q is not a 12-digit AWS account ID", ic.AccountID)
	}
	if ic.RoleName == "" {
		add("identity_center.role_name: missing")
	}
	for _, f := range [][2]string{{"issuer", p.Issuer}, {"client_id", p.ClientID}, {"federation_type", p.FederationType}, {"role_arn", p.RoleARN}, {"identity_pool_id", p.IdentityPoolID}, {"telemetry_audience", p.TelemetryAudience}, {"quota_url", p.QuotaURL}} {
		if f[1] != "" {
			add("%s: set for an identity-center profile, which has none; remove it", f[0])
		}
	}
	out = append(out, p.sessionProblems(3600, " (a permission set's session lasts 1 to 12 hours)")...)
	return append(out, p.telemetryProblems()...)
}
