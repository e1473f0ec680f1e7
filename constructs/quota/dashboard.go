package quota

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/function"
	"ccwb.dev/lambda/quota/env"
	"ccwb.dev/lambda/quota/metrics"
)

// Dashboard shows the quota service's health (no per-user dimensions: `ccwb quota usage`
// lists users) and alarms on what breaks metering or enforcement.
type Dashboard struct {
	constructs.Construct
	Dashboard awscloudwatch.Dashboard
	Alarms    []awscloudwatch.Alarm
}

func quotaMetric(deployment, name, stat string, period awscdk.Duration) awscloudwatch.Metric {
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace: jsii.String(metrics.Namespace), MetricName: jsii.String(name),
		DimensionsMap: &map[string]*string{metrics.Dimension: jsii.String(deployment)},
		Statistic:     jsii.String(stat), Period: period,
	})
}

// NewDashboard creates the dashboard and alarms of q; the alarms notify q's topic.
func NewDashboard(scope constructs.Construct, id string, q *Quota) *Dashboard {
	d := &Dashboard{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	name := *q.Env[env.Deployment]
	five, hour := awscdk.Duration_Minutes(jsii.Number(5)), awscdk.Duration_Hours(jsii.Number(1))
	m := func(metric, stat string) awscloudwatch.IMetric { return quotaMetric(name, metric, stat, five) }
	graph := func(title string, ms ...awscloudwatch.IMetric) awscloudwatch.IWidget {
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Left: &ms, Width: jsii.Number(8)})
	}
	fnErrors := func(f *function.Function) awscloudwatch.IMetric {
		return f.Function.MetricErrors(&awscloudwatch.MetricOptions{Period: five, Label: f.Function.Node().Id()})
	}
	d.Dashboard = awscloudwatch.NewDashboard(d.Construct, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		Widgets: &[]*[]awscloudwatch.IWidget{
			{graph("Invocations counted (this Region's consumer and sweep)", m(metrics.RecordsCounted, "Sum"), m(metrics.SweepRecovered, "Sum")),
				graph("Records without token counts, other callers", m(metrics.RecordsUnmetered, "Sum"), m(metrics.RecordsForeign, "Sum")),
				graph("Users blocked, blocks beyond the deny policies", m(metrics.UsersBlocked, "Maximum"), m(metrics.BlockedNotEnforced, "Maximum"))},
			{graph("Sweep lag (seconds)", m(metrics.SweepLagSeconds, "Maximum")),
				graph("Function errors", fnErrors(q.Collector.Ingest), fnErrors(q.Collector.Sweep), fnErrors(q.Enforcer), fnErrors(q.Check)),
				graph("Check service latency (ms)", q.Check.Function.MetricDuration(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("p99")}))},
		},
	})
	// The deployment's tags: AWS::CloudWatch::Dashboard takes none (cfn-lint E3002).
	d.Dashboard.Node().DefaultChild().(awscdk.CfnResource).AddPropertyDeletionOverride(jsii.String("Tags"))
	alarm := func(id, description string, metric awscloudwatch.IMetric, threshold float64) {
		a := awscloudwatch.NewAlarm(d.Construct, jsii.String(id), &awscloudwatch.AlarmProps{
			AlarmDescription: jsii.String(description), Metric: metric, Threshold: jsii.Number(threshold),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			EvaluationPeriods:  jsii.Number(1), TreatMissingData: awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		a.AddAlarmAction(awscloudwatchactions.NewSnsAction(q.Topic))
		d.Alarms = append(d.Alarms, a)
	}
	alarm("Unmetered", "Bedrock invocation records arrive without token counts: usage is not metered (docs/platform/quotas.md, first-day check).",
		quotaMetric(name, metrics.RecordsUnmetered, "Sum", hour), 1)
	alarm("BlockedNotEnforced", "More users are blocked than the deny policies hold (quota.max_blocked_users): the rest keep Bedrock until their credentials expire.",
		quotaMetric(name, metrics.BlockedNotEnforced, "Maximum", five), 1)
	alarm("SweepLag", "The hourly sweep is more than 3 hours behind: records the consumer dropped are not counted yet.",
		quotaMetric(name, metrics.SweepLagSeconds, "Maximum", hour), 3*3600)
	for _, f := range []*function.Function{q.Collector.Ingest, q.Enforcer, q.Check} {
		alarm(*f.Function.Node().Id()+"Errors", "A quota function fails: "+*f.Function.Node().Id()+" (see its log group).",
			f.Function.MetricErrors(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(15))}), 3)
	}
	return d
}
