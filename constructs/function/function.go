// Package function makes the deployment's Lambda functions the one way they are all made: a
// Go `bootstrap` (constructs/function/lambdabuild) on provided.al2023, arm64, with a role of
// its own (no managed policy) that may write only the function's own log group.
package function

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Props configure a function. Code and Description are required.
type Props struct {
	// Description of the function, and of its role unless RoleDescription is set.
	Description, RoleDescription string
	Code                         awslambda.Code
	// Env is the function's environment (default none).
	Env map[string]*string
	// MemoryMB (default 128) and Timeout (default the CDK's, 3 s).
	MemoryMB float64
	Timeout  awscdk.Duration
	// Reserved is the reserved concurrency (default none).
	Reserved float64
	// Logs is the function's log group (default a new "<id>Logs", kept a month, removed
	// with the stack).
	Logs awslogs.LogGroup
}

// Function is a function with its role and log group, created in the scope given to New
// as "<id>", "<id>Role" and (by default) "<id>Logs".
type Function struct {
	Function awslambda.Function
	Role     awsiam.Role
	Logs     awslogs.LogGroup
}

// New creates the function. It waits for its role's default policy (where grants and
// AddToPolicy put the role's statements) and not for the role itself, which its Role
// reference already orders it after (cfn-lint W3005 flags that DependsOn as redundant).
func New(scope constructs.Construct, id string, p *Props) *Function {
	logs := p.Logs
	if logs == nil {
		logs = awslogs.NewLogGroup(scope, jsii.String(id+"Logs"), &awslogs.LogGroupProps{
			Retention:     awslogs.RetentionDays_ONE_MONTH,
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		})
	}
	roleDescription := p.RoleDescription
	if roleDescription == "" {
		roleDescription = p.Description
	}
	role := awsiam.NewRole(scope, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String(roleDescription),
	})
	logs.GrantWrite(role) // streams the function names at run time, in its own log group only
	memory := p.MemoryMB
	if memory == 0 {
		memory = 128
	}
	props := &awslambda.FunctionProps{
		Description:  jsii.String(p.Description),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         p.Code,
		MemorySize:   jsii.Number(memory),
		Timeout:      p.Timeout,
		Role:         role,
		LogGroup:     logs,
	}
	if p.Env != nil {
		props.Environment = &p.Env
	}
	if p.Reserved > 0 {
		props.ReservedConcurrentExecutions = jsii.Number(p.Reserved)
	}
	fn := awslambda.NewFunction(scope, jsii.String(id), props)
	policy := role.Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnElement)
	fn.Node().DefaultChild().(awscdk.CfnResource).AddOverride(jsii.String("DependsOn"),
		[]string{*awscdk.Stack_Of(scope).GetLogicalId(policy)})
	return &Function{Function: fn, Role: role, Logs: logs}
}
