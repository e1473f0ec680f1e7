package quota

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"ccwb.dev/constructs/function"
)

func nag(c constructs.IConstruct, id, reason string, appliesTo ...string) {
	s := &cdknag.NagPackSuppression{Id: jsii.String(id), Reason: jsii.String(reason)}
	if len(appliesTo) > 0 {
		l := make([]any, len(appliesTo))
		for i, a := range appliesTo {
			l[i] = a
		}
		s.AppliesTo = &l
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(true))
}

// suppressLoggingRole: the invocation-logging calls take no resource.
func suppressLoggingRole(role awsiam.Role) {
	nag(role, "AwsSolutions-IAM5", "Bedrock's Get/Put/DeleteModelInvocationLoggingConfiguration act on the Region's one configuration and support no resource-level permissions (Service Authorization Reference for Amazon Bedrock).", "Resource::*")
}

// suppressTableGrants: the CDK's DynamoDB grants name the table's indexes too.
func suppressTableGrants(fs ...*function.Function) {
	for _, f := range fs {
		nag(f.Role, "AwsSolutions-IAM5", "DynamoDB grants cover the table's indexes (<table>/index/*); the quota tables have none, so the wildcard grants nothing more.")
	}
}

// suppress carries the reasons of the quota stack's own findings, each where it arises.
func suppress(q *Quota) {
	suppressTableGrants(q.Enforcer, q.Check)
}
