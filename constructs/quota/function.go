package quota

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/function"
)

// FunctionMemoryMB is the memory of the functions that count, enforce and check (the cost
// model prices their GB-seconds with it).
const FunctionMemoryMB = 256

// newFunction is one of the quota functions (constructs/function), its description marked
// as the quota service's.
func newFunction(scope constructs.Construct, id string, p function.Props) *function.Function {
	p.Description = "ccwb quota: " + p.Description
	return function.New(scope, id, &p)
}

func stmt(actions []string, resources ...*string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: &resources})
}
