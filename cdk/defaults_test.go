package main

import (
	"slices"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/analytics"
	"ccwb.dev/constructs/distribution"
	"ccwb.dev/constructs/monitoring"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
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

// TestLogRetentionsAreTheConstructs: the retentions the settings accept are exactly the
// steps of monitoring.Retention, the construct's table of CloudWatch Logs' values (written
// in both for the same reason as the defaults).
func TestLogRetentionsAreTheConstructs(t *testing.T) {
	var steps []int
	for d := 1; d <= 3653; d++ {
		if monitoring.Retention(d) != monitoring.Retention(d+1) { // d is the longest of its step
			steps = append(steps, d)
		}
	}
	if !slices.Equal(steps, settings.LogRetentionDays) {
		t.Errorf("monitoring.Retention steps at %v, the settings accept %v", steps, settings.LogRetentionDays)
	}
	if monitoring.Retention(3654) != awslogs.RetentionDays_INFINITE {
		t.Error("a retention beyond 10 years is not kept forever")
	}
}
