package main

import (
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/analytics"
	"ccwb.dev/constructs/distribution"
	"ccwb.dev/constructs/monitoring"
)

// TestSettingsDefaultsAreTheConstructs: a setting left out means what the construct does
// with the field left out. cdk/settings cannot import the constructs (ccwb would link jsii),
// so each default is written in both and pinned here.
func TestSettingsDefaultsAreTheConstructs(t *testing.T) {
	for _, c := range []struct {
		name                string
		settings, construct int
	}{
		{"monitoring.min_tasks", settings.DefaultMinTasks, monitoring.DefaultMinTasks},
		{"monitoring.max_tasks", settings.DefaultMaxTasks, monitoring.DefaultMaxTasks},
		{"monitoring.log_retention_days", settings.DefaultLogRetentionDays, monitoring.DefaultLogRetentionDays},
		{"analytics.retention_days", settings.DefaultRetentionDays, analytics.DefaultRetentionDays},
		{"analytics.buffer_seconds", settings.DefaultBufferSeconds, analytics.DefaultBufferSeconds},
		{"analytics.buffer_mb", settings.DefaultBufferMB, analytics.DefaultBufferMB},
		{"analytics.query_limit_gb", settings.DefaultQueryLimitGB, analytics.DefaultQueryLimitGB},
		{"quota.log_retention_days", settings.DefaultQuotaLogDays, monitoring.DefaultLogRetentionDays},
		{"distribution.noncurrent_retention_days", settings.DefaultNoncurrentRetentionDays, distribution.DefaultNoncurrentRetentionDays},
		{"distribution.landing_page.session_timeout", settings.LandingPage{SessionTimeout: settings.DefaultSessionTimeout}.SessionTimeoutSeconds(), distribution.DefaultSessionTimeoutSeconds},
	} {
		if c.settings != c.construct {
			t.Errorf("%s: the settings default %d, the construct's %d", c.name, c.settings, c.construct)
		}
	}
}
