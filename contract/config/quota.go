package config

import (
	"fmt"
	"net/url"
)

// Quota fail modes (config.json quota_fail_mode): what the credential process does when the
// quota check service cannot be reached. The quota contract (contract/quota) names the same
// values for the settings and the service.
const (
	QuotaFailOpen   = "open"
	QuotaFailClosed = "closed"
)

// FailClosed reports whether an unreachable quota service refuses credentials.
func (p Profile) FailClosed() bool { return p.QuotaFailMode == QuotaFailClosed }

// quotaProblems checks the quota fields: an https URL without user info, query or fragment,
// and a known fail mode.
func (p Profile) quotaProblems() []string {
	var out []string
	if p.QuotaURL != "" {
		u, err := url.Parse(p.QuotaURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			out = append(out, fmt.Sprintf("quota_url: %q is not an https URL of scheme, host and path: the ID token goes there", p.QuotaURL))
		}
	}
	switch p.QuotaFailMode {
	case "", QuotaFailOpen, QuotaFailClosed:
	default:
		out = append(out, fmt.Sprintf("quota_fail_mode: %q is neither %q nor %q", p.QuotaFailMode, QuotaFailOpen, QuotaFailClosed))
	}
	if p.QuotaFailMode != "" && p.QuotaURL == "" {
		out = append(out, "quota_fail_mode: set without quota_url; give both or neither")
	}
	return out
}
