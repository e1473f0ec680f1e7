package monitoring

import (
	"fmt"

	"ccwb.dev/contract/collector"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// The collector task's size: 0.5 vCPU (CPU units) and 1 GiB.
const (
	TaskCPU       = 512
	TaskMemoryMiB = 1024
)

// ConfigEnv is the environment variable that carries the collector config into the task:
// a config change changes the task definition, and so rolls the service.
const ConfigEnv = "CCWB_COLLECTOR_CONFIG"

// service runs the collector on Fargate: at least MinTasks tasks spread over the subnets'
// AZs, CPU-based scaling up to MaxTasks, a deployment circuit breaker that rolls back.
func (m *Monitoring) service(p MonitoringProps, subnets *awsec2.SubnetSelection) {
	m.Cluster = awsecs.NewCluster(m.Construct, jsii.String("Cluster"), &awsecs.ClusterProps{
		Vpc: m.Vpc, ContainerInsightsV2: awsecs.ContainerInsights_ENABLED,
	})
	task := awsecs.NewFargateTaskDefinition(m.Construct, jsii.String("Task"), &awsecs.FargateTaskDefinitionProps{
		Cpu: jsii.Number(TaskCPU), MemoryLimitMiB: jsii.Number(TaskMemoryMiB),
		RuntimePlatform: &awsecs.RuntimePlatform{
			OperatingSystemFamily: awsecs.OperatingSystemFamily_LINUX(), CpuArchitecture: awsecs.CpuArchitecture_X86_64(),
		},
	})
	task.AddContainer(jsii.String("collector"), &awsecs.ContainerDefinitionOptions{
		Image:       awsecs.ContainerImage_FromRegistry(jsii.String(p.Image), nil),
		Command:     jsii.Strings("--config=env:" + ConfigEnv),
		Environment: &map[string]*string{ConfigEnv: jsii.String(m.Config)},
		Essential:   jsii.Bool(true),
		Logging: awsecs.LogDrivers_AwsLogs(&awsecs.AwsLogDriverProps{
			StreamPrefix: jsii.String("collector"), LogGroup: m.CollectorLogGroup,
		}),
		PortMappings: &[]*awsecs.PortMapping{
			{ContainerPort: jsii.Number(collector.DefaultHTTPPort), Name: jsii.String("otlp-http")},
			{ContainerPort: jsii.Number(collector.DefaultGRPCPort), Name: jsii.String("otlp-grpc")},
			{ContainerPort: jsii.Number(collector.DefaultHealthPort), Name: jsii.String("health")},
		},
	})
	// awsemf writes to the metrics log group and nothing else.
	m.MetricsLogGroup.GrantWrite(task.TaskRole())
	cdknag.NagSuppressions_AddResourceSuppressions(task, &[]*cdknag.NagPackSuppression{
		{
			Id:     jsii.String("AwsSolutions-ECS2"),
			Reason: jsii.String("The only environment variable is the collector configuration (issuer, audience, log group: no secret); carrying it in the task definition makes every config change roll the service."),
		},
		{
			Id:        jsii.String("AwsSolutions-IAM5"),
			Reason:    jsii.String("The awsemf exporter creates and writes log streams of the metrics log group; stream names are only known at run time, the group is pinned."),
			AppliesTo: &[]any{fmt.Sprintf("Resource::<%s>:*", logicalID(m.MetricsLogGroup))},
		},
	}, jsii.Bool(true))

	sg := awsec2.NewSecurityGroup(m.Construct, jsii.String("ServiceSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: m.Vpc, Description: jsii.String("collector tasks: OTLP and health check from the load balancer only"), AllowAllOutbound: jsii.Bool(true),
	})
	m.Service = awsecs.NewFargateService(m.Construct, jsii.String("Service"), &awsecs.FargateServiceProps{
		Cluster: m.Cluster, TaskDefinition: task,
		DesiredCount:   jsii.Number(float64(p.MinTasks)),
		AssignPublicIp: jsii.Bool(true), // no NAT: the image pull and CloudWatch go out directly
		VpcSubnets:     subnets, SecurityGroups: &[]awsec2.ISecurityGroup{sg},
		CircuitBreaker: &awsecs.DeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		// Named, although ECS is the default: services deployed before the CDK stopped
		// writing it would otherwise be replaced, as a change of the deployment controller
		// requires (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-service-deploymentcontroller.html).
		DeploymentController:   &awsecs.DeploymentController{Type: awsecs.DeploymentControllerType_ECS},
		MinHealthyPercent:      jsii.Number(100),
		MaxHealthyPercent:      jsii.Number(200),
		HealthCheckGracePeriod: awscdk.Duration_Seconds(jsii.Number(60)),
	})
	scaling := m.Service.AutoScaleTaskCount(&awsapplicationautoscaling.EnableScalingProps{
		MinCapacity: jsii.Number(float64(p.MinTasks)), MaxCapacity: jsii.Number(float64(p.MaxTasks)),
	})
	scaling.ScaleOnCpuUtilization(jsii.String("Cpu"), &awsecs.CpuUtilizationScalingProps{
		TargetUtilizationPercent: jsii.Number(60),
		ScaleInCooldown:          awscdk.Duration_Seconds(jsii.Number(300)),
		ScaleOutCooldown:         awscdk.Duration_Seconds(jsii.Number(60)),
	})
}

// logicalID is the CloudFormation logical ID of a construct's default resource, as cdk-nag
// spells it in appliesTo.
func logicalID(c constructs.IConstruct) string {
	return *awscdk.Stack_Of(c).GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))
}
