package monitoring

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// AlarmTopicKey is the key of an alarm topic (the monitoring and quota stacks'). CloudWatch
// cannot publish to a topic encrypted with the AWS-managed alias/aws/sns (its policy cannot be changed); with a customer-managed key
// AWS documents the grant CloudWatch needs: kms:Decrypt and kms:GenerateDataKey* for the
// cloudwatch.amazonaws.com service principal
// (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services),
// here only on behalf of alarms of this account and Region (aws:SourceAccount,
// aws:SourceArn: the confused-deputy guard). The rest of the policy is CDK's default: the
// account may administer the key through IAM.
func AlarmTopicKey(scope constructs.Construct) awskms.Key {
	key := awskms.NewKey(scope, jsii.String("AlarmKey"), &awskms.KeyProps{
		Description:       jsii.String("Encrypts the ccwb alarm topic; CloudWatch alarms of this account and Region may use it"),
		EnableKeyRotation: jsii.Bool(true),
	})
	stack := awscdk.Stack_Of(scope)
	alarms := awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil).WithConditions(&map[string]any{
		"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
		"ArnLike":      map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"), ResourceName: jsii.String("*"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME})},
	})
	// The key's grants give either more (Encrypt: kms:Encrypt, kms:ReEncrypt*) or less
	// (Decrypt) than the two actions AWS documents; Actions grants exactly those.
	key.Grants().Actions(alarms, jsii.String("kms:Decrypt"), jsii.String("kms:GenerateDataKey*"))
	return key
}

// alarms watches the ingest path: unhealthy collector tasks, too few healthy ones, and
// 5xx answers of the load balancer or the collectors. They notify one SNS topic.
func (m *Monitoring) alarms(p MonitoringProps) {
	m.AlarmKey = AlarmTopicKey(m.Construct)
	m.AlarmTopic = awssns.NewTopic(m.Construct, jsii.String("Alarms"), &awssns.TopicProps{
		MasterKey:  m.AlarmKey,
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
