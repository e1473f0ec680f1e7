package main

import (
	"ccwb.dev/constructs/analytics"
	"ccwb.dev/constructs/analytics/queries"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// transformPackage is the Lambda the analytics stack deploys.
const transformPackage = "ccwb.dev/lambda/metrics-transform"

// analyticsStack is <name>-analytics: Firehose, the transform Lambda, S3, Glue and
// Athena over the monitoring stack's metrics. It exists when analytics.enabled is set
// (validation requires monitoring then).
type analyticsStack struct {
	awscdk.Stack
	Analytics *analytics.Analytics
}

func newAnalyticsStack(app awscdk.App, dep *deployment) *analyticsStack {
	d := dep.settings
	if !d.Analytics.Enabled || dep.monitoring == nil {
		return nil
	}
	stack := newStack(app, d, stacks.Analytics, "Claude Code usage analytics: Firehose, Parquet in S3, Glue and Athena")

	a := d.Analytics
	an := analytics.NewAnalytics(stack, "Analytics", &analytics.AnalyticsProps{
		MetricsLogGroup: dep.monitoring.Monitoring.MetricsLogGroup,
		TransformCode:   lambdaCode(app, transformPackage),
		Name:            d.Name,
		RetentionDays:   a.RetentionDays,
		BufferSeconds:   a.BufferSeconds,
		BufferMB:        a.BufferMB,
		QueryLimitGB:    a.QueryLimitGB,
		Prices:          d.Bedrock.Prices,
		Quotas: queries.Quotas{
			MonthlyTokensPerUser: a.Quotas.MonthlyTokensPerUser,
			TokensPerMinute:      a.Quotas.TokensPerMinute,
			RequestsPerMinute:    a.Quotas.RequestsPerMinute,
		},
		UserLimits: quotaLimits(d),
	})
	output(stack, outputs.AthenaWorkGroup, an.WorkGroup.Ref(), "Athena workgroup with the named queries")
	output(stack, outputs.GlueDatabase, jsii.String(an.DatabaseName), "Glue database of the analytics table")
	output(stack, outputs.AnalyticsTable, jsii.String(an.TableName), "Glue table: one row per Claude Code metric data point")
	output(stack, outputs.AnalyticsBucket, an.DataBucket.BucketName(), "S3 bucket of the Parquet data (metrics/) and failed records (errors/)")
	return &analyticsStack{Stack: stack, Analytics: an}
}
