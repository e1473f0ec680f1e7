package analytics

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"ccwb.dev/constructs/function"
)

func stmt(actions []string, resources ...*string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(actions...),
		Resources: &resources,
	})
}

// logicalID is the CloudFormation logical ID of a construct's resource, as cdk-nag names
// it in findings.
func logicalID(c constructs.IConstruct) string {
	el := c.Node().DefaultChild().(awscdk.CfnElement)
	return *awscdk.Stack_Of(c).GetLogicalId(el)
}

// defaultPolicy is the policy that grants and AddToPolicy write a role's statements to. A
// resource that needs them depends on it, not on the role: its role reference already
// orders it after the role (cfn-lint W3005 flags a DependsOn on the role as redundant).
func defaultPolicy(role awsiam.Role) constructs.IConstruct {
	return role.Node().FindChild(jsii.String("DefaultPolicy"))
}

// transform creates the transform function with its own role and log group.
func (a *Analytics) transform(p AnalyticsProps) awsiam.Role {
	f := function.New(a.Construct, "Transform", &function.Props{
		Description:     "ccwb analytics: CloudWatch Logs EMF records to analytics rows (Firehose transformation)",
		RoleDescription: "ccwb analytics transform: write its logs, put overflow records back into the stream",
		Code:            p.TransformCode,
		// 1769 MB is one whole vCPU: the transform is single-threaded and CPU-bound, so
		// it runs at its benchmarked speed, for the same GB-seconds as a smaller, slower
		// function.
		MemoryMB: TransformMemoryMB,
		Timeout:  awscdk.Duration_Minutes(jsii.Number(5)),
	})
	a.Transform = f.Function
	return f.Role
}

type firehoseProps = awskinesisfirehose.CfnDeliveryStream_ExtendedS3DestinationConfigurationProperty

// firehose creates the delivery stream: SSE, the transform as processor, Parquet
// conversion with the Glue table's schema, hourly partitions by arrival time, and an
// error prefix that keeps failed records by failure type.
func (a *Analytics) firehose(p AnalyticsProps, transformRole awsiam.Role) {
	logs := awslogs.NewLogGroup(a.Construct, jsii.String("DeliveryLogs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	stream := awslogs.NewLogStream(a.Construct, jsii.String("DeliveryErrors"), &awslogs.LogStreamProps{LogGroup: logs})
	role := a.deliveryRole(p, logs, stream)
	a.DeliveryStream = awskinesisfirehose.NewCfnDeliveryStream(a.Construct, jsii.String("DeliveryStream"), &awskinesisfirehose.CfnDeliveryStreamProps{
		DeliveryStreamType: jsii.String("DirectPut"),
		DeliveryStreamEncryptionConfigurationInput: &awskinesisfirehose.CfnDeliveryStream_DeliveryStreamEncryptionConfigurationInputProperty{
			KeyType: jsii.String("AWS_OWNED_CMK"),
		},
		ExtendedS3DestinationConfiguration: a.destination(p, role, logs, stream),
	})
	// Firehose checks its permissions when the stream is created.
	a.DeliveryStream.Node().AddDependency(defaultPolicy(role), a.Table)

	// The transform puts records that overflow its response back into the stream. A policy
	// of its own, so the function does not depend on the stream that depends on it: a grant
	// would add the statement to the role's default policy, which the function waits for.
	awsiam.NewPolicy(a.Construct, jsii.String("TransformReingestPolicy"), &awsiam.PolicyProps{
		Roles:      &[]awsiam.IRole{transformRole},
		Statements: &[]awsiam.PolicyStatement{stmt([]string{"firehose:PutRecordBatch"}, a.DeliveryStream.AttrArn())},
	})
}

// deliveryRole is the role Firehose delivers with.
func (a *Analytics) deliveryRole(p AnalyticsProps, logs awslogs.LogGroup, stream awslogs.LogStream) awsiam.Role {
	stack := awscdk.Stack_Of(a.Construct)
	role := awsiam.NewRole(a.Construct, jsii.String("DeliveryRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("firehose.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{"StringEquals": map[string]any{"sts:ExternalId": stack.Account()}},
		}),
		Description: jsii.String("ccwb analytics delivery stream: invoke the transform, read the Glue schema, write S3"),
	})
	catalog := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("glue"), Resource: jsii.String("catalog")})
	database := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("glue"), Resource: jsii.String("database"), ResourceName: jsii.String(a.DatabaseName)})
	table := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("glue"), Resource: jsii.String("table"), ResourceName: jsii.String(a.DatabaseName + "/" + p.TableName)})
	// What Firehose needs, as AWS lists it for a delivery stream's role
	// (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3):
	// grants where the CDK has one that gives no more than that, statements where it has none
	// (Glue, GetFunctionConfiguration) or only a wider one (the log stream: a log group grant).
	a.DataBucket.Grants().ActionsOnBucketAndObjectKeys(role, jsii.String("*"), *jsii.Strings(
		"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject")...)
	a.Transform.GrantInvokeLatestVersion(role)
	role.AddToPolicy(stmt([]string{"lambda:GetFunctionConfiguration"}, a.Transform.FunctionArn()))
	role.AddToPolicy(stmt([]string{"glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"}, catalog, database, table))
	role.AddToPolicy(stmt([]string{"logs:PutLogEvents"}, stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("logs"), Resource: jsii.String("log-group"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		ResourceName: jsii.String(*logs.LogGroupName() + ":log-stream:" + *stream.LogStreamName()),
	})))
	cdknag.NagSuppressions_AddResourceSuppressions(role, &[]*cdknag.NagPackSuppression{{
		Id:        jsii.String("AwsSolutions-IAM5"),
		Reason:    jsii.String("Firehose writes objects under keys it names (prefix, time, random suffix) in the analytics data bucket only."),
		AppliesTo: &[]any{fmt.Sprintf("Resource::<%s.Arn>/*", logicalID(a.DataBucket))},
	}}, jsii.Bool(true))
	return role
}

// destination is where the stream delivers: Parquet in the data bucket under hourly
// partitions, the transform as processor, failed records under the error prefix.
func (a *Analytics) destination(p AnalyticsProps, role awsiam.Role, logs awslogs.LogGroup, stream awslogs.LogStream) *firehoseProps {
	stack := awscdk.Stack_Of(a.Construct)
	return &firehoseProps{
		BucketArn:         a.DataBucket.BucketArn(),
		RoleArn:           role.RoleArn(),
		Prefix:            jsii.String(DataPrefix + "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"),
		ErrorOutputPrefix: jsii.String(ErrorPrefix + "!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"),
		BufferingHints: &awskinesisfirehose.CfnDeliveryStream_BufferingHintsProperty{
			IntervalInSeconds: jsii.Number(p.BufferSeconds),
			SizeInMBs:         jsii.Number(p.BufferMB),
		},
		CompressionFormat: jsii.String("UNCOMPRESSED"), // Parquet compresses itself (SNAPPY)
		CloudWatchLoggingOptions: &awskinesisfirehose.CfnDeliveryStream_CloudWatchLoggingOptionsProperty{
			Enabled: jsii.Bool(true), LogGroupName: logs.LogGroupName(), LogStreamName: stream.LogStreamName(),
		},
		ProcessingConfiguration: &awskinesisfirehose.CfnDeliveryStream_ProcessingConfigurationProperty{
			Enabled: jsii.Bool(true),
			Processors: &[]*awskinesisfirehose.CfnDeliveryStream_ProcessorProperty{{
				Type: jsii.String("Lambda"),
				Parameters: &[]*awskinesisfirehose.CfnDeliveryStream_ProcessorParameterProperty{
					{ParameterName: jsii.String("LambdaArn"), ParameterValue: a.Transform.FunctionArn()},
					{ParameterName: jsii.String("NumberOfRetries"), ParameterValue: jsii.String("3")},
					{ParameterName: jsii.String("BufferSizeInMBs"), ParameterValue: jsii.String(TransformBufferMB)},
					{ParameterName: jsii.String("BufferIntervalInSeconds"), ParameterValue: jsii.String(strconv.Itoa(60))},
				},
			}},
		},
		DataFormatConversionConfiguration: &awskinesisfirehose.CfnDeliveryStream_DataFormatConversionConfigurationProperty{
			Enabled: jsii.Bool(true),
			InputFormatConfiguration: &awskinesisfirehose.CfnDeliveryStream_InputFormatConfigurationProperty{
				Deserializer: &awskinesisfirehose.CfnDeliveryStream_DeserializerProperty{
					OpenXJsonSerDe: &awskinesisfirehose.CfnDeliveryStream_OpenXJsonSerDeProperty{CaseInsensitive: jsii.Bool(false)},
				},
			},
			OutputFormatConfiguration: &awskinesisfirehose.CfnDeliveryStream_OutputFormatConfigurationProperty{
				Serializer: &awskinesisfirehose.CfnDeliveryStream_SerializerProperty{
					ParquetSerDe: &awskinesisfirehose.CfnDeliveryStream_ParquetSerDeProperty{
						Compression: jsii.String("SNAPPY"), EnableDictionaryCompression: jsii.Bool(true),
					},
				},
			},
			SchemaConfiguration: &awskinesisfirehose.CfnDeliveryStream_SchemaConfigurationProperty{
				CatalogId: stack.Account(), DatabaseName: jsii.String(a.DatabaseName), TableName: jsii.String(p.TableName),
				Region: stack.Region(), RoleArn: role.RoleArn(), VersionId: jsii.String("LATEST"),
			},
		},
	}
}

// subscription sends every event of the metrics log group to the delivery stream.
func (a *Analytics) subscription(p AnalyticsProps) {
	stack := awscdk.Stack_Of(a.Construct)
	role := awsiam.NewRole(a.Construct, jsii.String("SubscriptionRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("logs.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{"StringLike": map[string]any{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("logs"), Resource: jsii.String("*"),
			})}},
		}),
		Description: jsii.String("ccwb analytics: CloudWatch Logs delivers the metrics log group's events to Firehose"),
	})
	awskinesisfirehose.DeliveryStreamGrants_FromDeliveryStream(a.DeliveryStream).PutRecords(role)
	a.SubscriptionFilter = awslogs.NewCfnSubscriptionFilter(a.Construct, jsii.String("Subscription"), &awslogs.CfnSubscriptionFilterProps{
		LogGroupName:   p.MetricsLogGroup.LogGroupName(),
		DestinationArn: a.DeliveryStream.AttrArn(),
		RoleArn:        role.RoleArn(),
		FilterPattern:  jsii.String(""),
	})
	a.SubscriptionFilter.Node().AddDependency(defaultPolicy(role))
}
