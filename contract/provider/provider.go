// Package provider holds the identity-provider rules shared by the auth stack, the
// credential process and the packager: which provider types exist, how a provider is
// detected from its domain, how its issuer URL is spelled, and the quirks of its OAuth2
// endpoints. Nothing here touches the network.
package provider

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Type names an identity provider family.
type Type string

// The supported provider types.
const (
	Okta    Type = "okta"
	Azure   Type = "azure" // Microsoft Entra ID
	Auth0   Type = "auth0"
	Cognito Type = "cognito" // Amazon Cognito User Pool
	Google  Type = "google"
	Generic Type = "generic" // any OpenID Connect issuer, given as an https URL
)

// Types lists every supported provider type, in the order docs and the wizard show them.
var Types = []Type{Okta, Azure, Auth0, Cognito, Google, Generic}

// ParseType returns the Type named by s ("" is not a type; use Detect).
func ParseType(s string) (Type, error) {
	for _, t := range Types {
		if string(t) == strings.ToLower(strings.TrimSpace(s)) {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown provider type %q: use one of %s", s, typeList())
}

func typeList() string {
	names := make([]string, len(Types))
	for i, t := range Types {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// The patterns compile on first use: the credential process links this package but its
// cached path never needs them, and compiling them at start-up cost ~0.6 ms per invocation.
var (
	guidRe       = lazyRegexp(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	poolIDRe     = lazyRegexp(`^([a-z]{2}(?:-gov)?-[a-z]+-\d)_[0-9A-Za-z]+$`)
	cognitoIssRe = lazyRegexp(`^cognito-idp\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com/([a-z]{2}(?:-gov)?-[a-z]+-\d_[0-9A-Za-z]+)$`)
	hostRe       = lazyRegexp(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// IsHostName reports whether s is a lower-case DNS host name of at least two labels, as an
// IdP domain or the collector's domain_name must be.
func IsHostName(s string) bool { return hostRe().MatchString(s) }

func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// Detect guesses the provider type from a domain or issuer as an administrator would
// type it. It returns Generic for an https URL it does not recognise and an error for
// anything that is neither a known provider nor a URL.
func Detect(domain string) (Type, error) {
	d := strings.ToLower(strings.TrimSpace(domain))
	if d == "" {
		return "", fmt.Errorf("provider domain is empty: give the IdP domain, e.g. dev-123456.okta.com")
	}
	hasScheme := strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "http://")
	hostPath := strings.TrimPrefix(strings.TrimPrefix(d, "https://"), "http://")
	host := hostPath
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	switch {
	case guidRe().MatchString(hostPath), host == "login.microsoftonline.com", host == "sts.windows.net":
		return Azure, nil
	case poolIDRe().MatchString(hostPath), strings.HasPrefix(host, "cognito-idp."), strings.HasSuffix(host, ".amazoncognito.com"):
		return Cognito, nil
	case strings.HasSuffix(host, ".okta.com"), strings.HasSuffix(host, ".oktapreview.com"), strings.HasSuffix(host, ".okta-emea.com"), strings.HasSuffix(host, ".okta-gov.com"):
		return Okta, nil
	case strings.HasSuffix(host, ".auth0.com"):
		return Auth0, nil
	case host == "accounts.google.com":
		return Google, nil
	case hasScheme:
		return Generic, nil
	}
	return "", fmt.Errorf("cannot tell the provider type from %q: set the provider type (one of %s), or give a generic issuer as an https:// URL", domain, typeList())
}

// IssuerURL returns the issuer URL exactly as the provider writes it into the `iss`
// claim of its ID tokens. domain is what an administrator types: a host, a host with
// a path, a full URL, an Entra tenant ID, or a Cognito user pool ID.
//
// Rules: Okta keeps any custom authorization server path (/oauth2/default); Entra ID is
// https://login.microsoftonline.com/<tenant>/v2.0; Auth0 ends with a slash; a Cognito
// user pool issuer is https://cognito-idp.<region>.amazonaws.com/<pool id>, the region
// taken from the pool ID; Google is https://accounts.google.com; a generic issuer is
// taken as given (https only, no query or fragment, no trailing slash added or removed).
func IssuerURL(t Type, domain string) (string, error) {
	raw := strings.TrimSpace(domain)
	if raw == "" {
		return "", fmt.Errorf("provider domain is empty: give the IdP domain, e.g. dev-123456.okta.com")
	}
	if strings.HasPrefix(strings.ToLower(raw), "http://") {
		return "", fmt.Errorf("provider domain %q uses http: an OpenID issuer must use https", domain)
	}
	hostPath := strings.TrimPrefix(raw, "https://")
	hostPath = strings.TrimPrefix(hostPath, "HTTPS://")
	if strings.ContainsAny(hostPath, "?#@ \t") {
		return "", fmt.Errorf("provider domain %q is malformed: give a host name (and path), without query, fragment or credentials", domain)
	}
	host, path, _ := strings.Cut(hostPath, "/")
	d := issuerDomain{given: domain, hostPath: hostPath, host: strings.ToLower(host), path: strings.TrimSuffix(path, "/")}

	switch t {
	case Okta:
		return d.okta()
	case Azure:
		return d.azure()
	case Auth0:
		if !hostRe().MatchString(d.host) || d.path != "" {
			return "", fmt.Errorf("auth0 domain %q is malformed: expected a host such as my-tenant.us.auth0.com", domain)
		}
		return "https://" + d.host + "/", nil
	case Cognito:
		return d.cognito()
	case Google:
		if d.host != "accounts.google.com" || d.path != "" {
			return "", fmt.Errorf("google domain %q is malformed: Google's issuer is accounts.google.com", domain)
		}
		return "https://accounts.google.com", nil
	case Generic:
		return genericIssuer(raw, domain)
	}
	return "", fmt.Errorf("unknown provider type %q: use one of %s", t, typeList())
}

// issuerDomain is the domain setting taken apart: as given, without its https:// scheme,
// and split into a lower-case host and a path without slashes at its ends.
type issuerDomain struct{ given, hostPath, host, path string }

func (d issuerDomain) okta() (string, error) {
	if !hostRe().MatchString(d.host) {
		return "", fmt.Errorf("okta domain %q is malformed: expected a host such as dev-123456.okta.com, optionally with /oauth2/<server-id>", d.given)
	}
	if d.path != "" && !strings.HasPrefix(d.path, "oauth2/") {
		return "", fmt.Errorf("okta domain %q has path /%s: only a custom authorization server path (/oauth2/<server-id>) is allowed", d.given, d.path)
	}
	return "https://" + join(d.host, d.path), nil
}

func (d issuerDomain) azure() (string, error) {
	tenant := d.host
	if d.host == "login.microsoftonline.com" {
		tenant = strings.TrimSuffix(strings.TrimSuffix(d.path, "/v2.0"), "/")
		if tenant == "" || strings.Contains(tenant, "/") {
			return "", fmt.Errorf("azure domain %q is malformed: give the tenant ID (a GUID) or https://login.microsoftonline.com/<tenant-id>/v2.0", d.given)
		}
	} else if d.path != "" {
		return "", fmt.Errorf("azure domain %q is malformed: give the tenant ID (a GUID)", d.given)
	}
	tenant = strings.ToLower(tenant)
	switch tenant {
	case "common", "organizations", "consumers":
		return "", fmt.Errorf("azure tenant %q is multi-tenant: ID tokens carry each user's own tenant as issuer, so give your directory (tenant) ID", tenant)
	}
	if !guidRe().MatchString(tenant) {
		return "", fmt.Errorf("azure tenant %q is malformed: give the directory (tenant) ID, a GUID; ID tokens name the tenant by its GUID, never by a domain", tenant)
	}
	return "https://login.microsoftonline.com/" + tenant + "/v2.0", nil
}

func (d issuerDomain) cognito() (string, error) {
	if m := poolIDRe().FindStringSubmatch(d.hostPath); m != nil {
		return "https://cognito-idp." + m[1] + ".amazonaws.com/" + d.hostPath, nil
	}
	if m := cognitoIssRe().FindStringSubmatch(d.host + "/" + d.path); m != nil {
		if !strings.HasPrefix(m[2], m[1]+"_") {
			return "", fmt.Errorf("cognito issuer %q names region %s but pool %s belongs to another region", d.given, m[1], m[2])
		}
		return "https://" + d.host + "/" + m[2], nil
	}
	return "", fmt.Errorf("cognito domain %q is malformed: give the user pool ID (e.g. us-east-1_AbCdEf123) or its issuer https://cognito-idp.<region>.amazonaws.com/<pool-id>", d.given)
}

func genericIssuer(raw, domain string) (string, error) {
	if !strings.HasPrefix(strings.ToLower(raw), "https://") {
		return "", fmt.Errorf("generic issuer %q must be a full https:// URL", domain)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("generic issuer %q is malformed: give the issuer URL from the provider's discovery document", domain)
	}
	return raw, nil
}

func join(host, path string) string {
	if path == "" {
		return host
	}
	return host + "/" + path
}

// HostPath is the issuer without its scheme and trailing slash: the name IAM gives an
// OIDC provider and its condition keys (<hostpath>:aud, <hostpath>:sub), and the key of
// the Logins map in Cognito Identity.
func HostPath(issuer string) string {
	s := strings.TrimPrefix(issuer, "https://")
	return strings.TrimSuffix(s, "/")
}

// Quirks are the per-provider details of the authorization request.
type Quirks struct {
	// Scopes asked for in the authorization request.
	Scopes []string
	// AuthParams are extra query parameters on the authorization URL.
	AuthParams map[string]string
}

// QuirksFor returns the authorization request details for a provider type.
//   - Okta, Entra ID and Auth0 return refresh tokens for the offline_access scope.
//   - Cognito rejects offline_access (invalid_scope) but always returns refresh tokens.
//   - Google ignores offline_access; it wants access_type=offline and prompt=consent.
func QuirksFor(t Type) Quirks {
	base := []string{"openid", "email", "profile"}
	switch t {
	case Cognito:
		return Quirks{Scopes: base}
	case Google:
		return Quirks{Scopes: base, AuthParams: map[string]string{"access_type": "offline", "prompt": "consent"}}
	default:
		return Quirks{Scopes: append(base, "offline_access")}
	}
}
