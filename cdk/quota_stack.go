package main

import (
	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/analytics/queries"
	"ccwb.dev/constructs/quota"
	"ccwb.dev/contract/outputs"
	qc "ccwb.dev/contract/quota"
	"ccwb.dev/contract/quota/denypolicy"
	"ccwb.dev/contract/schema"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// quotaStack is <name>-quota: the quota tables, the deny policies on the Bedrock role, the
// check service, the enforcer, and the collector of the deployment's Region. It exists when
// quota.enabled is set (validation requires direct federation with subject attribution).
type quotaStack struct {
	awscdk.Stack
	Quota *quota.Quota
	// Regions are the collector stacks of the other source Regions, <name>-quota-<region>.
	Regions []awscdk.Stack
}

// The quota functions' packages.
const (
	quotaIngest  = "ccwb.dev/lambda/quota-ingest"
	quotaSweep   = "ccwb.dev/lambda/quota-sweep"
	quotaEnforce = "ccwb.dev/lambda/quota-enforce"
	quotaCheck   = "ccwb.dev/lambda/quota-check"
	quotaSeed    = "ccwb.dev/lambda/quota-seed"
	quotaLogging = "ccwb.dev/lambda/invocation-logging"
)

func newQuotaStack(app awscdk.App, dep *deployment) *quotaStack {
	d := dep.settings
	if !d.Quota.Enabled {
		return nil
	}
	q := d.Quota
	stack := newStack(app, d, stacks.Quota, "Claude Code spend control: usage from Bedrock invocation logs, per-user and per-group limits, the IAM deny")
	stack.AddStackDependency(dep.auth.Stack, jsii.String("the deny policies attach to the Bedrock role"))
	code := quota.Code{
		Ingest: lambdaCode(app, quotaIngest), Sweep: lambdaCode(app, quotaSweep), Enforce: lambdaCode(app, quotaEnforce),
		Check: lambdaCode(app, quotaCheck), Seed: lambdaCode(app, quotaSeed), Logging: lambdaCode(app, quotaLogging),
	}
	qs := quota.NewQuota(stack, "Quota", &quota.QuotaProps{
		Deployment: d.Name, Role: dep.auth.Auth.Role, Issuer: dep.issuer, ClientID: d.IdentityProvider.ClientID,
		DenyPolicies: denypolicy.Policies(q.MaxBlockedUsers, dep.provider),
		Policies:     q.QuotaPolicies(), Prices: d.Bedrock.Prices,
		Timezone: q.Timezone, UnknownGroups: q.UnknownGroups, GroupsClaim: q.GroupsClaim, NotifyEmail: q.NotifyEmail,
		Collector: collectorOptions(d, d.Region), Code: code,
	})
	output(stack, outputs.QuotaURL, qs.API.URL, "quota check service (config.json quota_url)")
	output(stack, outputs.QuotaTable, qs.Table.TableName(), "DynamoDB table of quota policies, usage, blocks and overrides (ccwb quota)")
	output(stack, outputs.QuotaTopic, qs.Topic.TopicArn(), "SNS topic of quota warnings, blocks and alarms")
	output(stack, outputs.QuotaDashboard, qs.Dashboard.Dashboard.DashboardName(), "CloudWatch dashboard of the quota service")
	s := &quotaStack{Stack: stack, Quota: qs}
	for _, r := range d.QuotaRegions() {
		s.Regions = append(s.Regions, newQuotaRegionStack(app, dep, stack, r))
	}
	return s
}

// collectorOptions are the settings of one Region's collector.
func collectorOptions(d *settings.Deployment, region string) quota.CollectorProps {
	q := d.Quota
	return quota.CollectorProps{Mode: q.InvocationLogging, ExistingLogGroup: q.ExistingLogGroups[region], TextDelivery: q.TextDelivery, RetentionDays: q.LogRetentionDays}
}

// quotaLimits are the monthly limits of the settings' quota policies for the Athena quota
// query, keyed on the verified identity as the analytics rows are (schema.StableID of the
// subject): each user policy, and the default. Group policies have no row key there.
func quotaLimits(d *settings.Deployment) []queries.UserLimit {
	if !d.Quota.Enabled {
		return nil
	}
	byID := map[string]*queries.UserLimit{}
	var order []string
	for _, p := range d.Quota.QuotaPolicies() {
		if p.Period != qc.Monthly || p.Scope == qc.Group {
			continue
		}
		id := ""
		if p.Scope == qc.User {
			id = schema.StableID(p.Name)
		}
		l, ok := byID[id]
		if !ok {
			l = &queries.UserLimit{UserID: id}
			byID[id] = l
			order = append(order, id)
		}
		if p.Metric == qc.USD {
			l.MonthlyUSD = p.Limit
		} else {
			l.MonthlyTokens = p.Limit
		}
	}
	out := make([]queries.UserLimit, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out
}
