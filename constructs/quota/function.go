package quota

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// function is one of the quota functions: a Go bootstrap on provided.al2023, arm64, with a
// role of its own that may write only its own log group (no managed policy).
type function struct {
	Function awslambda.Function
	Role     awsiam.Role
	Logs     awslogs.LogGroup
}

type functionProps struct {
	Description string
	Code        awslambda.Code
	Env         map[string]*string
	MemoryMB    float64
	Timeout     awscdk.Duration
	// Reserved is the reserved concurrency (0: none).
	Reserved float64
}

func newFunction(scope constructs.Construct, id string, p functionProps) *function {
	logs := awslogs.NewLogGroup(scope, jsii.String(id+"Logs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	role := awsiam.NewRole(scope, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("ccwb quota: " + p.Description),
	})
	logs.GrantWrite(role)
	memory := p.MemoryMB
	if memory == 0 {
		memory = 128
	}
	props := &awslambda.FunctionProps{
		Description:  jsii.String("ccwb quota: " + p.Description),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         p.Code,
		MemorySize:   jsii.Number(memory),
		Timeout:      p.Timeout,
		Role:         role,
		LogGroup:     logs,
		Environment:  &p.Env,
	}
	if p.Reserved > 0 {
		props.ReservedConcurrentExecutions = jsii.Number(p.Reserved)
	}
	fn := awslambda.NewFunction(scope, jsii.String(id), props)
	// The function waits for its policy; its Role reference orders it after the role already
	// (cfn-lint W3005 flags a DependsOn on the role as redundant).
	fn.Node().DefaultChild().(awscdk.CfnResource).AddOverride(jsii.String("DependsOn"),
		[]string{*awscdk.Stack_Of(scope).GetLogicalId(role.Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnElement))})
	return &function{Function: fn, Role: role, Logs: logs}
}

func stmt(actions []string, resources ...*string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: &resources})
}
