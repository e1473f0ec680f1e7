package monitoring

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/jsii-runtime-go"
)

// alarms watches the ingest path: unhealthy collector tasks, too few healthy ones, and
// 5xx answers of the load balancer or the collectors. They notify one SNS topic.
func (m *Monitoring) alarms(p MonitoringProps) {
	m.AlarmTopic = awssns.NewTopic(m.Construct, jsii.String("Alarms"), &awssns.TopicProps{
		MasterKey:  awskms.Alias_FromAliasName(m.Construct, jsii.String("SnsKey"), jsii.String("alias/aws/sns")),
		EnforceSSL: jsii.Bool(true),
	})
	if p.AlarmEmail != "" {
		m.AlarmTopic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(p.AlarmEmail), nil))
	}
	minute := awscdk.Duration_Minutes(jsii.Number(1))
	tg := m.TargetGroup.Metrics()
	lb := m.LoadBalancer.Metrics()
	add := func(id, description string, metric awscloudwatch.IMetric, threshold float64, op awscloudwatch.ComparisonOperator, periods float64, missing awscloudwatch.TreatMissingData) {
		a := awscloudwatch.NewAlarm(m.Construct, jsii.String(id), &awscloudwatch.AlarmProps{
			AlarmDescription: jsii.String(description), Metric: metric,
			Threshold: jsii.Number(threshold), ComparisonOperator: op,
			EvaluationPeriods: jsii.Number(periods), DatapointsToAlarm: jsii.Number(periods),
			TreatMissingData: missing,
		})
		a.AddAlarmAction(awscloudwatchactions.NewSnsAction(m.AlarmTopic))
		a.AddOkAction(awscloudwatchactions.NewSnsAction(m.AlarmTopic))
		m.Alarms = append(m.Alarms, a)
	}
	add("UnhealthyTasks", "A collector task fails the load balancer's health check.",
		tg.UnhealthyHostCount(&awscloudwatch.MetricOptions{Period: minute, Statistic: jsii.String("Maximum")}),
		1, awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 3, awscloudwatch.TreatMissingData_NOT_BREACHING)
	add("TooFewHealthyTasks", "Fewer healthy collector tasks than the service's minimum: telemetry may be refused or lost.",
		tg.HealthyHostCount(&awscloudwatch.MetricOptions{Period: minute, Statistic: jsii.String("Minimum")}),
		float64(p.MinTasks), awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD, 5, awscloudwatch.TreatMissingData_BREACHING)
	add("LoadBalancer5xx", "The load balancer answers 5xx (no healthy collector, or a collector failing).",
		lb.HttpCodeElb(awselasticloadbalancingv2.HttpCodeElb_ELB_5XX_COUNT, &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(5)), Statistic: jsii.String("Sum")}),
		10, awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, awscloudwatch.TreatMissingData_NOT_BREACHING)
	add("Collector5xx", "Collectors answer 5xx: the exporter or the memory limiter refuses data.",
		tg.HttpCodeTarget(awselasticloadbalancingv2.HttpCodeTarget_TARGET_5XX_COUNT, &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(5)), Statistic: jsii.String("Sum")}),
		10, awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, awscloudwatch.TreatMissingData_NOT_BREACHING)
}
