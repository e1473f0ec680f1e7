package settings

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/contract/federation"
)

// fieldPaths lists the JSON path of every field of t: "a.b", lists as "a[].b".
func fieldPaths(t reflect.Type, prefix string) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		path := prefix + name
		out = append(out, path)
		ft := f.Type
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
			out = append(out, fieldPaths(ft.Elem(), path+"[].")...)
		} else if ft.Kind() == reflect.Struct {
			out = append(out, fieldPaths(ft, path+".")...)
		}
	}
	return out
}

// TestSettingsReference: docs/platform/settings.md documents every field, and no field
// that does not exist, in its tables (rows starting with | `path` |).
func TestSettingsReference(t *testing.T) {
	raw, err := os.ReadFile("../../docs/platform/settings.md")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_.\\[\\]]+)` \\|").FindAllStringSubmatch(string(raw), -1) {
		documented = append(documented, m[1])
	}
	fields := fieldPaths(reflect.TypeFor[Deployment](), "")
	for _, f := range fields {
		// Group headings document a struct's own path only where it is a value users set.
		if slices.Contains([]string{"identity_provider", "federation", "bedrock", "client", "monitoring", "analytics", "quota", "distribution", "distribution.landing_page"}, f) {
			continue
		}
		if !slices.Contains(documented, f) {
			t.Errorf("field %s is not documented in docs/platform/settings.md", f)
		}
	}
	for _, d := range documented {
		if !slices.Contains(fields, d) {
			t.Errorf("docs/platform/settings.md documents %s, which is not a settings field", d)
		}
	}
}

// TestSettingsReferenceDefaults: the default column shows the values ApplyDefaults sets.
func TestSettingsReferenceDefaults(t *testing.T) {
	raw, err := os.ReadFile("../../docs/platform/settings.md")
	if err != nil {
		t.Fatal(err)
	}
	var d Deployment
	d.ApplyDefaults()
	defaults := map[string]any{
		"federation.type":                              d.Federation.Type,
		"federation.session_duration":                  ShortDuration(federation.DefaultSessionDuration),
		"client.profile_name":                          d.Client.ProfileName,
		"client.credential_storage":                    d.Client.CredentialStorage,
		"client.callback_port":                         d.Client.CallbackPort,
		"client.login":                                 d.Client.Login,
		"monitoring.min_tasks":                         d.Monitoring.MinTasks,
		"monitoring.max_tasks":                         d.Monitoring.MaxTasks,
		"monitoring.log_retention_days":                d.Monitoring.LogRetentionDays,
		"analytics.retention_days":                     d.Analytics.RetentionDays,
		"analytics.buffer_seconds":                     d.Analytics.BufferSeconds,
		"analytics.buffer_mb":                          d.Analytics.BufferMB,
		"analytics.query_limit_gb":                     d.Analytics.QueryLimitGB,
		"quota.groups_claim":                           d.Quota.GroupsClaim,
		"quota.fail_mode":                              d.Quota.FailMode,
		"quota.timezone":                               d.Quota.Timezone,
		"quota.invocation_logging":                     d.Quota.InvocationLogging,
		"quota.log_retention_days":                     d.Quota.LogRetentionDays,
		"quota.max_blocked_users":                      d.Quota.MaxBlockedUsers,
		"quota.unknown_groups":                         d.Quota.UnknownGroups,
		"bedrock.prices_as_of":                         d.Bedrock.PricesAsOf,
		"distribution.encryption":                      d.Distribution.Encryption,
		"distribution.noncurrent_retention_days":       d.Distribution.NoncurrentRetentionDays,
		"distribution.upgrade_check":                   d.Distribution.UpgradeCheck,
		"distribution.landing_page.session_timeout":    d.Distribution.LandingPage.SessionTimeout,
		"distribution.landing_page.log_retention_days": d.Distribution.LandingPage.LogRetentionDays,
	}
	for path, v := range defaults {
		row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(path) + "` \\| `([^`]*)`").FindStringSubmatch(string(raw))
		if row == nil || row[1] != fmt.Sprint(v) {
			t.Errorf("docs/platform/settings.md gives %s the default %v, ApplyDefaults sets %v", path, row, v)
		}
	}
}
