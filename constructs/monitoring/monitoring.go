// Package monitoring is the OpenTelemetry collector of a ccwb deployment: a Fargate service
// behind an Application Load Balancer that accepts Claude Code's metrics only with a valid ID
// token of the deployment's identity provider, writes them as CloudWatch embedded metric
// format into the metrics log group (which the analytics stack subscribes to), and a
// dashboard and alarms over them.
package monitoring

import (
	"fmt"
	"slices"

	"ccwb.dev/contract/collector"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MonitoringProps configure the collector stack. Zero values take the documented defaults.
type MonitoringProps struct {
	// Issuer is the identity provider's issuer URL (the ID token's iss); required.
	Issuer string
	// Audience is the aud the collector requires of bearer tokens: the IdP client ID the ID
	// tokens are issued to, or the telemetry audience; required.
	Audience string
	// SubjectClaim names the user in those tokens (default "sub").
	SubjectClaim string
	// Namespace is the CloudWatch metrics namespace (default collector.DefaultNamespace).
	Namespace string
	// Dimensions are group attributes (department, team...) to chart as metric dimensions,
	// each with the values to chart; none by default (see collector.GroupDimension).
	Dimensions []collector.GroupDimension

	// VPCID and SubnetIDs place the service in an existing VPC's public subnets (two AZs or
	// more); empty creates a VPC with public subnets in two AZs, no NAT, and flow logs.
	VPCID     string
	SubnetIDs []string

	// CertificateARN turns on HTTPS (port 443, HTTP redirects to it); DomainName is the
	// name in the endpoint URL, and with HostedZoneID an alias record is created.
	CertificateARN string
	DomainName     string
	HostedZoneID   string

	// MinTasks and MaxTasks bound CPU-based auto scaling (default 2 and 6).
	MinTasks, MaxTasks int
	// Image is the collector image (default collector.Image, pinned).
	Image string
	// LogRetentionDays for the metrics, collector and flow-log groups (default 30; rounded up
	// to a retention CloudWatch Logs offers).
	LogRetentionDays int
	// AlarmEmail, when set, is subscribed to the alarm topic.
	AlarmEmail string
}

// Monitoring is the collector stack's resources.
type Monitoring struct {
	constructs.Construct
	// MetricsLogGroup receives the EMF events: the analytics Firehose subscribes to it.
	MetricsLogGroup awslogs.LogGroup
	// CollectorLogGroup holds the collector's own logs.
	CollectorLogGroup awslogs.LogGroup
	Vpc               awsec2.IVpc
	Cluster           awsecs.Cluster
	Service           awsecs.FargateService
	LoadBalancer      awselasticloadbalancingv2.ApplicationLoadBalancer
	TargetGroup       awselasticloadbalancingv2.ApplicationTargetGroup
	AccessLogs        awss3.Bucket
	AlarmTopic        awssns.Topic
	// AlarmKey encrypts AlarmTopic: a customer-managed key (rotation on) whose policy
	// lets CloudWatch alarms of this account and Region publish to the topic.
	AlarmKey  awskms.Key
	Alarms    []awscloudwatch.Alarm
	Dashboard awscloudwatch.Dashboard
	// Endpoint is the OTLP/HTTP base URL for OTEL_EXPORTER_OTLP_ENDPOINT (stack output).
	Endpoint *string
	// Config is the collector configuration the tasks run (it may hold CDK tokens).
	Config string
}

// Defaults of MonitoringProps.
const (
	DefaultMinTasks         = 2
	DefaultMaxTasks         = 6
	DefaultLogRetentionDays = 30
)

func (p MonitoringProps) withDefaults() MonitoringProps {
	if p.Namespace == "" {
		p.Namespace = collector.DefaultNamespace
	}
	if p.MinTasks == 0 {
		p.MinTasks = DefaultMinTasks
	}
	if p.MaxTasks == 0 {
		p.MaxTasks = max(DefaultMaxTasks, p.MinTasks)
	}
	if p.Image == "" {
		p.Image = collector.Image
	}
	if p.LogRetentionDays == 0 {
		p.LogRetentionDays = DefaultLogRetentionDays
	}
	return p
}

// NewMonitoring creates the collector service, its load balancer, dashboard and alarms.
// It panics on props no valid settings produce (the settings are validated at the edge).
func NewMonitoring(scope constructs.Construct, id string, props *MonitoringProps) *Monitoring {
	p := props.withDefaults()
	if p.MinTasks < 1 || p.MaxTasks < p.MinTasks {
		panic(fmt.Sprintf("monitoring: tasks min %d max %d: need 1 <= min <= max", p.MinTasks, p.MaxTasks))
	}
	if p.VPCID != "" && len(p.SubnetIDs) < 2 {
		panic("monitoring: an existing VPC needs at least two public subnets in different AZs")
	}
	m := &Monitoring{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	retention := Retention(p.LogRetentionDays)

	m.MetricsLogGroup = awslogs.NewLogGroup(m.Construct, jsii.String("MetricsLogGroup"), &awslogs.LogGroupProps{Retention: retention})
	m.CollectorLogGroup = awslogs.NewLogGroup(m.Construct, jsii.String("CollectorLogGroup"), &awslogs.LogGroupProps{
		Retention: retention, RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	cfg, err := collector.YAML(collector.Options{
		Issuer: p.Issuer, Audience: p.Audience, SubjectClaim: p.SubjectClaim, Namespace: p.Namespace, Dimensions: p.Dimensions,
		LogGroup: *m.MetricsLogGroup.LogGroupName(), Region: *awscdk.Stack_Of(m.Construct).Region(),
	})
	if err != nil {
		panic(err)
	}
	m.Config = cfg

	subnets := m.network(p, retention)
	m.service(p, subnets)
	m.loadBalancer(p, subnets)
	m.alarms(p)
	m.dashboard(p)
	return m
}

// Retention is the shortest CloudWatch Logs retention of at least days.
func Retention(days int) awslogs.RetentionDays {
	allowed := []struct {
		days int
		r    awslogs.RetentionDays
	}{
		{1, awslogs.RetentionDays_ONE_DAY}, {3, awslogs.RetentionDays_THREE_DAYS}, {5, awslogs.RetentionDays_FIVE_DAYS},
		{7, awslogs.RetentionDays_ONE_WEEK}, {14, awslogs.RetentionDays_TWO_WEEKS}, {30, awslogs.RetentionDays_ONE_MONTH},
		{60, awslogs.RetentionDays_TWO_MONTHS}, {90, awslogs.RetentionDays_THREE_MONTHS}, {120, awslogs.RetentionDays_FOUR_MONTHS},
		{150, awslogs.RetentionDays_FIVE_MONTHS}, {180, awslogs.RetentionDays_SIX_MONTHS}, {365, awslogs.RetentionDays_ONE_YEAR},
		{400, awslogs.RetentionDays_THIRTEEN_MONTHS}, {545, awslogs.RetentionDays_EIGHTEEN_MONTHS}, {731, awslogs.RetentionDays_TWO_YEARS},
		{1096, awslogs.RetentionDays_THREE_YEARS}, {1827, awslogs.RetentionDays_FIVE_YEARS}, {2192, awslogs.RetentionDays_SIX_YEARS},
		{2557, awslogs.RetentionDays_SEVEN_YEARS}, {2922, awslogs.RetentionDays_EIGHT_YEARS}, {3288, awslogs.RetentionDays_NINE_YEARS},
		{3653, awslogs.RetentionDays_TEN_YEARS},
	}
	i := slices.IndexFunc(allowed, func(a struct {
		days int
		r    awslogs.RetentionDays
	}) bool {
		return a.days >= days
	})
	if i < 0 {
		return awslogs.RetentionDays_INFINITE
	}
	return allowed[i].r
}
