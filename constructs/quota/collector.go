package quota

import (
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogsdestinations"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/function"
	"ccwb.dev/constructs/monitoring"
	qc "ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/env"
)

// CollectorProps configure one Region's collector.
type CollectorProps struct {
	// Mode is "create" (set up the Region's model invocation logging, metadata only) or
	// "join" (read ExistingLogGroup, the configuration's own). Default "create".
	Mode             string
	ExistingLogGroup string
	// TextDelivery also delivers prompt and response text (create only). Default false.
	TextDelivery bool
	// RetentionDays of the log group created, a value CloudWatch Logs accepts. Default
	// monitoring.DefaultLogRetentionDays.
	RetentionDays int
	// Table and Ledger are the quota tables (in the deployment's Region). Required.
	Table, Ledger awsdynamodb.ITable
	// Env is the functions' environment (contract of lambda/quota/env). Required.
	Env map[string]*string
	// Ingest, Sweep and Logging are the functions' code. Required.
	Ingest, Sweep, Logging awslambda.Code
}

// Collector meters one Region: its Bedrock invocation log group, the logging configuration
// that fills it, the consumer subscribed to it and the hourly sweep.
type Collector struct {
	constructs.Construct
	LogGroup     awslogs.ILogGroup
	DeliveryRole awsiam.Role // nil when joining
	Logging      awscdk.CustomResource
	Ingest       *function.Function
	Sweep        *function.Function
}

// NewCollector creates the collector of the stack's Region.
func NewCollector(scope constructs.Construct, id string, p *CollectorProps) *Collector {
	c := &Collector{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	stack := awscdk.Stack_Of(c.Construct)
	mode := p.Mode
	if mode == "" {
		mode = qc.LoggingCreate
	}
	if mode == qc.LoggingJoin {
		c.LogGroup = awslogs.LogGroup_FromLogGroupName(c.Construct, jsii.String("InvocationLogs"), jsii.String(p.ExistingLogGroup))
	} else {
		c.LogGroup = c.createLogGroup(p)
	}
	lf := newFunction(c.Construct, "InvocationLogging", function.Props{
		Description: "sets up (or joins) Bedrock model invocation logging in this Region, never over another configuration",
		Code:        p.Logging, Timeout: awscdk.Duration_Minutes(jsii.Number(1)),
	})
	lf.Role.AddToPolicy(stmt([]string{"bedrock:GetModelInvocationLoggingConfiguration", "bedrock:PutModelInvocationLoggingConfiguration",
		"bedrock:DeleteModelInvocationLoggingConfiguration"}, jsii.String("*")))
	props := map[string]any{env.LoggingMode: mode, env.LoggingRegion: stack.Region(), env.LoggingLogGroupName: c.LogGroup.LogGroupName(),
		env.LoggingRoleARN: "", env.LoggingTextDelivery: strconv.FormatBool(p.TextDelivery)}
	if c.DeliveryRole != nil {
		c.DeliveryRole.GrantPassRole(lf.Role)
		props[env.LoggingRoleARN] = c.DeliveryRole.RoleArn()
	}
	c.Logging = awscdk.NewCustomResource(c.Construct, jsii.String("Logging"), &awscdk.CustomResourceProps{
		ServiceToken: lf.Function.FunctionArn(), ResourceType: jsii.String("Custom::BedrockInvocationLogging"), Properties: &props,
	})
	c.Logging.Node().AddDependency(lf.Role)
	suppressLoggingRole(lf.Role)

	c.Ingest = newFunction(c.Construct, "Ingest", function.Props{
		Description: "counts Bedrock invocation log records per verified subject, once each",
		Code:        p.Ingest, Env: p.Env, MemoryMB: FunctionMemoryMB, Timeout: awscdk.Duration_Minutes(jsii.Number(1)),
	})
	c.Sweep = newFunction(c.Construct, "Sweep", function.Props{
		Description: "re-reads the invocation log group hourly and counts what the consumer missed",
		Code:        p.Sweep, Env: with(p.Env, map[string]*string{env.LogGroup: c.LogGroup.LogGroupName()}), MemoryMB: FunctionMemoryMB, Timeout: awscdk.Duration_Minutes(jsii.Number(10)), Reserved: 1,
	})
	for _, f := range []*function.Function{c.Ingest, c.Sweep} {
		p.Table.GrantReadWriteData(f.Role)
		p.Ledger.GrantReadWriteData(f.Role)
	}
	suppressTableGrants(c.Ingest, c.Sweep)
	c.Sweep.Role.AddToPolicy(stmt([]string{"logs:FilterLogEvents"}, c.LogGroup.LogGroupArn()))
	awslogs.NewSubscriptionFilter(c.Construct, jsii.String("Subscription"), &awslogs.SubscriptionFilterProps{
		LogGroup: c.LogGroup, Destination: awslogsdestinations.NewLambdaDestination(c.Ingest.Function, nil),
		FilterPattern: awslogs.FilterPattern_AllEvents(),
	}).Node().AddDependency(c.Logging)
	awsevents.NewRule(c.Construct, jsii.String("Hourly"), &awsevents.RuleProps{
		Description: jsii.String("ccwb quota: the hourly sweep of the invocation log group"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Hours(jsii.Number(1))),
		Targets:     &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(c.Sweep.Function, nil)},
	})
	return c
}

// createLogGroup makes the Region's invocation log group and the role Bedrock delivers to it
// with: trusted by bedrock.amazonaws.com for this account's Bedrock in this Region only (the
// confused-deputy guard AWS documents for the logging role,
// https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html), allowed
// to create streams in and write to this log group alone.
func (c *Collector) createLogGroup(p *CollectorProps) awslogs.ILogGroup {
	stack := awscdk.Stack_Of(c.Construct)
	days := p.RetentionDays
	if days == 0 {
		days = monitoring.DefaultLogRetentionDays
	}
	lg := awslogs.NewLogGroup(c.Construct, jsii.String("InvocationLogs"), &awslogs.LogGroupProps{
		Retention:     monitoring.Retention(days),
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	c.DeliveryRole = awsiam.NewRole(c.Construct, jsii.String("DeliveryRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("bedrock.amazonaws.com"), &awsiam.ServicePrincipalOpts{Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("bedrock"), Resource: jsii.String("*"), ArnFormat: awscdk.ArnFormat_NO_RESOURCE_NAME})},
		}}),
		Description: jsii.String("ccwb quota: Bedrock delivers model invocation logs (metadata) to the quota log group"),
	})
	lg.GrantWrite(c.DeliveryRole)
	return lg
}
