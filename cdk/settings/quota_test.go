package settings

import (
	"slices"
	"strings"
	"testing"

	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
)

// withQuota is valid() with quotas on and one policy of each scope.
func withQuota() *Deployment {
	d := valid()
	d.Quota = Quota{Enabled: true, Policies: []QuotaPolicy{
		{Group: "contractors", Metric: "usd", Period: "monthly", Limit: 200, Action: "block"},
		{User: "00u1abcd2EFGH3ijk4l5", Metric: "tokens", Period: "monthly", Limit: 5e6, Action: "warn"},
		{Default: true, Metric: "usd", Period: "daily", Limit: 50, Action: "block", WarnAt: []int{50, 75}},
	}}
	d.ApplyDefaults()
	return d
}

func TestQuotaSettings(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*Deployment)
		want   []string
	}{
		{"valid", func(*Deployment) {}, nil},
		{"off ignores the rest", func(d *Deployment) { d.Quota = Quota{FailMode: "sideways"}; d.ApplyDefaults() }, nil},
		{"needs direct federation with subject attribution", func(d *Deployment) { d.Federation.Attribution = federation.AttributionTags },
			[]string{`quota.enabled: quotas need federation.type "direct" with federation.attribution "subject"`}},
		{"options", func(d *Deployment) {
			d.Quota.FailMode, d.Quota.Timezone, d.Quota.UnknownGroups = "sideways", "Mars/Olympus", "any"
			d.Quota.LogRetentionDays, d.Quota.MaxBlockedUsers, d.Quota.NotifyEmail = 7, 100000, "not mail"
			d.Quota.GroupsClaim = "has space"
		}, []string{
			`quota.groups_claim: "has space" is not a claim name`,
			`quota.fail_mode: "sideways" is not a fail mode`,
			`quota.timezone: timezone "Mars/Olympus" is not an IANA time zone`,
			`quota.unknown_groups: "any" is neither "strictest" nor "default"`,
			`quota.log_retention_days: 7 is not a retention CloudWatch Logs accepts above the sweep's 14 days`,
			`quota.max_blocked_users: 100000 needs 422 deny policies, more than the 10 a role can take beside its own; use 1 to 2370 for okta subjects`,
			`quota.notify_email: "not mail" is not an email address`,
		}},
		{"join needs every Region's log group", func(d *Deployment) {
			d.Quota.InvocationLogging = InvocationLoggingJoin
			d.Quota.ExistingLogGroups = map[string]string{"us-east-1": "/aws/bedrock/invocations"}
		}, []string{`quota.existing_log_groups["us-west-2"]: missing or not a log group name`}},
		{"log groups without join", func(d *Deployment) { d.Quota.ExistingLogGroups = map[string]string{"us-east-1": "x"} },
			[]string{`quota.existing_log_groups: given with invocation_logging "create"`}},
		{"policies", func(d *Deployment) {
			d.Quota.Policies = append(d.Quota.Policies,
				QuotaPolicy{Metric: "usd", Period: "daily", Limit: 1, Action: "block"},
				QuotaPolicy{Group: "contractors", Metric: "usd", Period: "monthly", Limit: 300, Action: "warn"},
				QuotaPolicy{User: "a", Metric: "bytes", Period: "weekly", Limit: -1, Action: "deny", WarnAt: []int{95, 10}},
			)
		}, []string{
			`quota.policies[3]: name exactly one of user (a subject), group or default: true`,
			`quota.policies[4]: repeats quota.policies[0] (group, monthly usd); keep one`,
			`quota.policies[5].metric: "bytes" is not a metric; use tokens or usd`,
			`quota.policies[5].period: "weekly" is not a period; use daily or monthly`,
			`quota.policies[5].limit: -1 is not a limit; give a positive number of tokens`,
			`quota.policies[5].action: "deny" is not an action`,
			`quota.policies[5].warn_at: [95 10] is not a list of ascending percentages from 1 to 99 (default [80 90])`,
		}},
		{"prices", func(d *Deployment) {
			d.Bedrock.Prices = []pricing.Price{{Match: "", Input: 1}, {Match: "x", Output: -1}}
			d.Bedrock.PricesAsOf = "December"
		}, []string{
			`bedrock.prices[0]: match is empty`,
			`bedrock.prices[1]: a price is negative`,
			`bedrock.prices_as_of: "December" is not a date`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := withQuota()
			c.change(d)
			err := d.Validate()
			var got []string
			if err != nil {
				got = err.(*ValidationError).Problems
			}
			if len(got) != len(c.want) {
				t.Fatalf("problems:\n%s\nwant %d starting:\n%s", strings.Join(got, "\n"), len(c.want), strings.Join(c.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("problem %d:\n%s\nwant it to start:\n%s", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestQuotaDefaultsAndPolicies(t *testing.T) {
	d := withQuota()
	q := d.Quota
	if q.GroupsClaim != "groups" || q.FailMode != "open" || q.Timezone != "UTC" || q.InvocationLogging != "create" ||
		q.UnknownGroups != quota.UnknownStrictest || q.MaxBlockedUsers != 500 || q.LogRetentionDays != 30 {
		t.Errorf("defaults: %+v", q)
	}
	ps := q.QuotaPolicies()
	if ps[0].Scope != quota.Group || ps[1].Scope != quota.User || ps[2].Scope != quota.Default || ps[0].Source != quota.SourceSettings {
		t.Errorf("policies: %+v", ps)
	}
	if len(d.Bedrock.Prices) != len(pricing.Defaults) || d.Bedrock.PricesAsOf != pricing.DefaultsAsOf {
		t.Errorf("price defaults: %d prices as of %q", len(d.Bedrock.Prices), d.Bedrock.PricesAsOf)
	}
}

// Every Region the quota meters has one collector: the deployment's in <name>-quota, the
// other source Regions each in <name>-quota-<region>; none without quotas.
func TestQuotaCollectors(t *testing.T) {
	d := withQuota()
	d.Bedrock.Regions = []string{"us-west-2", d.Region, "us-east-2"}
	got := d.QuotaCollectors()
	want := []QuotaCollector{{d.Region, d.Name + "-quota"}, {"us-west-2", d.Name + "-quota-us-west-2"}, {"us-east-2", d.Name + "-quota-us-east-2"}}
	if !slices.Equal(got, want) {
		t.Errorf("collectors = %v, want %v", got, want)
	}
	d.Quota.Enabled = false
	if got := d.QuotaCollectors(); got != nil {
		t.Errorf("without quotas: %v", got)
	}
}
