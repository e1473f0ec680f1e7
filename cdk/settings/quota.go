package settings

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/quota/denypolicy"
	"ccwb.dev/contract/stacks"
)

// Quota is the spend-control stack (<name>-quota): usage from Bedrock's model invocation
// logs, per-user and per-group limits, and an IAM deny on the Bedrock role for a user over a
// block limit (docs/platform/quotas.md).
type Quota struct {
	Enabled bool `json:"enabled"`
	// GroupsClaim is the ID-token claim holding the user's groups (default "groups").
	GroupsClaim string `json:"groups_claim,omitempty"`
	// FailMode is what the credential process does when the check service cannot be
	// reached: "open" (federate; default) or "closed" (refuse).
	FailMode string `json:"fail_mode,omitempty"`
	// Timezone is the IANA zone whose midnight starts a day and a month (default "UTC").
	Timezone string `json:"timezone,omitempty"`
	// InvocationLogging is "create" (set up the Region's model invocation logging; refuse if
	// one exists; default) or "join" (read the log groups of an existing configuration).
	InvocationLogging string `json:"invocation_logging,omitempty"`
	// ExistingLogGroups (join only) names the CloudWatch log group of the existing
	// configuration in every Region of bedrock.regions.
	ExistingLogGroups map[string]string `json:"existing_log_groups,omitempty"`
	// TextDelivery also logs the prompt and response text (with create), for a Region whose
	// records would otherwise lack the token counts. Off by default.
	TextDelivery bool `json:"text_delivery,omitempty"`
	// LogRetentionDays keeps the invocation log groups ccwb creates (default 30).
	LogRetentionDays int `json:"log_retention_days,omitempty"`
	// MaxBlockedUsers is how many users may be blocked at once: it sizes the deny policies
	// (default 500).
	MaxBlockedUsers int `json:"max_blocked_users,omitempty"`
	// UnknownGroups is the policy of a user whose groups the check service never saw:
	// "strictest" (the strictest group policy; default) or "default".
	UnknownGroups string `json:"unknown_groups,omitempty"`
	// NotifyEmail is subscribed to the warnings, blocks and alarms topic.
	NotifyEmail string `json:"notify_email,omitempty"`
	// Policies are seeded into the quota table at deploy time; `ccwb quota set` adds more.
	Policies []QuotaPolicy `json:"policies,omitempty"`
}

// QuotaPolicy is one limit of the settings: exactly one of User, Group and Default.
type QuotaPolicy struct {
	User    string  `json:"user,omitempty"`
	Group   string  `json:"group,omitempty"`
	Default bool    `json:"default,omitempty"`
	Metric  string  `json:"metric"`
	Period  string  `json:"period"`
	Limit   float64 `json:"limit"`
	Action  string  `json:"action"`
	WarnAt  []int   `json:"warn_at,omitempty"`
}

// Policy is p as the quota service stores it.
func (p QuotaPolicy) Policy() quota.Policy {
	q := quota.Policy{Metric: quota.Metric(p.Metric), Period: quota.Period(p.Period), Limit: p.Limit,
		Action: quota.Action(p.Action), WarnAt: p.WarnAt, Source: quota.SourceSettings}
	switch {
	case p.User != "":
		q.Scope, q.Name = quota.User, p.User
	case p.Group != "":
		q.Scope, q.Name = quota.Group, p.Group
	case p.Default:
		q.Scope = quota.Default
	}
	return q
}

// Policies are the settings' policies as the quota service stores them.
func (q Quota) QuotaPolicies() []quota.Policy {
	out := make([]quota.Policy, len(q.Policies))
	for i, p := range q.Policies {
		out[i] = p.Policy()
	}
	return out
}

// Defaults of the quota section.
const (
	DefaultGroupsClaim      = quota.DefaultGroupsClaim
	DefaultQuotaTimezone    = quota.DefaultTimezone
	DefaultQuotaLogging     = InvocationLoggingCreate
	DefaultQuotaLogDays     = 30
	InvocationLoggingCreate = quota.LoggingCreate
	InvocationLoggingJoin   = quota.LoggingJoin
)

var claimRe = regexp.MustCompile(`^[A-Za-z0-9_:/.-]{1,128}$`)

func (q *Quota) applyDefaults() {
	setString(&q.GroupsClaim, DefaultGroupsClaim)
	setString(&q.FailMode, config.QuotaFailOpen)
	setString(&q.Timezone, DefaultQuotaTimezone)
	setString(&q.InvocationLogging, DefaultQuotaLogging)
	setString(&q.UnknownGroups, quota.UnknownStrictest)
	setInt(&q.LogRetentionDays, DefaultQuotaLogDays)
	setInt(&q.MaxBlockedUsers, quota.DefaultMaxBlockedUsers)
}

func (d *Deployment) validateQuota(v *validator) {
	q := d.Quota
	if !q.Enabled {
		return
	}
	if d.Federation.Type != federation.Direct || d.Federation.Attribution != federation.AttributionSubject {
		v.add("quota.enabled", "quotas need federation.type %q with federation.attribution %q: only then is every session named by the verified subject, which Bedrock's invocation logs record and the IAM deny matches; with %s federation (attribution %q) a user could spread usage over session names of their choosing",
			federation.Direct, federation.AttributionSubject, d.Federation.Type, d.Federation.Attribution)
	}
	if !claimRe.MatchString(q.GroupsClaim) {
		v.add("quota.groups_claim", "%q is not a claim name; give the ID-token claim that lists the user's groups, e.g. %q", q.GroupsClaim, DefaultGroupsClaim)
	}
	if !slices.Contains(quota.FailModes, q.FailMode) {
		v.add("quota.fail_mode", "%q is not a fail mode; use %q (federate when the quota service cannot be reached) or %q (refuse)", q.FailMode, config.QuotaFailOpen, config.QuotaFailClosed)
	}
	if _, err := quota.LoadLocation(q.Timezone); err != nil {
		v.add("quota.timezone", "%v", err)
	}
	if q.UnknownGroups != quota.UnknownStrictest && q.UnknownGroups != quota.UnknownDefault {
		v.add("quota.unknown_groups", "%q is neither %q nor %q", q.UnknownGroups, quota.UnknownStrictest, quota.UnknownDefault)
	}
	if !slices.Contains(LogRetentionDays, q.LogRetentionDays) || q.LogRetentionDays <= quota.SweepReachDays {
		above := slices.DeleteFunc(slices.Clone(LogRetentionDays), func(n int) bool { return n <= quota.SweepReachDays })
		v.add("quota.log_retention_days", "%d is not a retention CloudWatch Logs accepts above the sweep's %d days; use one of %s (default %d)", q.LogRetentionDays, quota.SweepReachDays, intList(above), DefaultQuotaLogDays)
	}
	if typ, _, err := d.Provider(); err == nil {
		if n := denypolicy.Policies(q.MaxBlockedUsers, typ); q.MaxBlockedUsers < 1 || n > denypolicy.MaxPolicies {
			v.add("quota.max_blocked_users", "%d needs %d deny policies, more than the %d a role can take beside its own; use 1 to %d for %s subjects", q.MaxBlockedUsers, n, denypolicy.MaxPolicies, denypolicy.MaxPolicies*denypolicy.Capacity(denypolicy.SubjectLength(typ)), typ)
		}
	}
	if q.NotifyEmail != "" {
		if a, err := mail.ParseAddress(q.NotifyEmail); err != nil || a.Address != q.NotifyEmail {
			v.add("quota.notify_email", "%q is not an email address; give a bare address such as finops@example.com", q.NotifyEmail)
		}
	}
	d.validateInvocationLogging(v)
	validateQuotaPolicies(v, q.Policies)
}

func (d *Deployment) validateInvocationLogging(v *validator) {
	q := d.Quota
	switch q.InvocationLogging {
	case InvocationLoggingCreate:
		if len(q.ExistingLogGroups) > 0 {
			v.add("quota.existing_log_groups", "given with invocation_logging %q; set invocation_logging to %q, or remove existing_log_groups", InvocationLoggingCreate, InvocationLoggingJoin)
		}
	case InvocationLoggingJoin:
		for _, r := range d.Bedrock.Regions {
			if !logGroupRe.MatchString(q.ExistingLogGroups[r]) {
				v.add(fmt.Sprintf("quota.existing_log_groups[%q]", r), "missing or not a log group name; give the CloudWatch log group of the model invocation logging configuration in %s (every Region of bedrock.regions is metered)", r)
			}
		}
		if q.TextDelivery {
			v.add("quota.text_delivery", "applies only to invocation_logging %q; the configuration you join keeps its own delivery settings", InvocationLoggingCreate)
		}
	default:
		v.add("quota.invocation_logging", "%q is neither %q (ccwb sets up model invocation logging; refused when one exists) nor %q (read an existing configuration's log groups)", q.InvocationLogging, InvocationLoggingCreate, InvocationLoggingJoin)
	}
}

var logGroupRe = regexp.MustCompile(`^[A-Za-z0-9_/.#-]{1,512}$`)

func validateQuotaPolicies(v *validator, ps []QuotaPolicy) {
	seen := map[string]int{}
	for i, p := range ps {
		field := fmt.Sprintf("quota.policies[%d]", i)
		n := 0
		for _, set := range []bool{p.User != "", p.Group != "", p.Default} {
			if set {
				n++
			}
		}
		if n != 1 {
			v.add(field, "name exactly one of user (a subject), group or default: true")
			continue
		}
		q := p.Policy()
		for _, pr := range q.Check() {
			v.add(field+"."+strings.Replace(pr.Field, "scope", "user", 1), "%s", pr.Message)
		}
		if j, ok := seen[q.ID()]; ok {
			v.add(field, "repeats quota.policies[%d] (%s, %s %s); keep one", j, q.Scope, q.Period, q.Metric)
		}
		seen[q.ID()] = i
	}
}

// QuotaRegions are the source Regions other than the deployment's: each gets a collector
// stack of its own, <name>-quota-<region>.
func (d *Deployment) QuotaRegions() []string {
	var out []string
	for _, r := range d.Bedrock.Regions {
		if r != d.Region {
			out = append(out, r)
		}
	}
	return out
}

// QuotaCollector is one Region the quota meters and the stack holding its collector.
type QuotaCollector struct{ Region, Stack string }

// QuotaCollectors are every Region the quota meters: the deployment's Region, whose
// collector is in <name>-quota, then QuotaRegions in <name>-quota-<region>. None without
// quota.enabled.
func (d *Deployment) QuotaCollectors() []QuotaCollector {
	if !d.Quota.Enabled {
		return nil
	}
	out := []QuotaCollector{{Region: d.Region, Stack: d.StackName(stacks.Quota)}}
	for _, r := range d.QuotaRegions() {
		out = append(out, QuotaCollector{Region: r, Stack: stacks.RegionalName(d.Name, stacks.Quota, r)})
	}
	return out
}
