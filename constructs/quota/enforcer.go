package quota

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/function"

	qc "ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/env"
)

// enforcer is the one writer of the deny policies (reserved concurrency 1): on the table's
// stream, filtered to blocks, overrides and new notification markers, and every minute.
func (q *Quota) enforcer(p QuotaProps, home map[string]*string) {
	arns := q.denyPolicyARNs()
	e := with(home, map[string]*string{env.DenyPolicies: awscdk.Fn_Join(jsii.String(","), &arns), env.TopicARN: q.Topic.TopicArn()})
	q.Enforcer = newFunction(q.Construct, "Enforcer", function.Props{
		Description: "writes the blocks in force into the deny policies on the Bedrock role; sends the quota notifications",
		Code:        p.Code.Enforce, Env: e, MemoryMB: FunctionMemoryMB, Timeout: awscdk.Duration_Minutes(jsii.Number(1)), Reserved: 1,
	})
	q.Table.GrantReadData(q.Enforcer.Role)
	q.Topic.GrantPublish(q.Enforcer.Role)
	q.Enforcer.Role.AddToPolicy(stmt([]string{"iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
		"iam:CreatePolicyVersion", "iam:DeletePolicyVersion"}, arns...))
	pk := func(values ...string) *map[string]any {
		return awslambda.FilterCriteria_Filter(&map[string]any{"dynamodb": map[string]any{"Keys": map[string]any{
			qc.AttrPK: map[string]any{"S": awslambda.FilterRule_Or(*jsii.Strings(values...)...)}}}})
	}
	note := awslambda.FilterCriteria_Filter(&map[string]any{
		"eventName": awslambda.FilterRule_IsEqual(jsii.String("INSERT")),
		"dynamodb":  map[string]any{"Keys": map[string]any{qc.AttrSK: map[string]any{"S": awslambda.FilterRule_BeginsWith(jsii.String(qc.NotePrefix))}}},
	})
	q.Enforcer.Function.AddEventSource(awslambdaeventsources.NewDynamoEventSource(q.Table, &awslambdaeventsources.DynamoEventSourceProps{
		StartingPosition: awslambda.StartingPosition_LATEST, BatchSize: jsii.Number(100),
		RetryAttempts: jsii.Number(20), BisectBatchOnError: jsii.Bool(true),
		Filters: &[]*map[string]any{pk(qc.PKBlock, qc.PKOverride), note},
	}))
	awsevents.NewRule(q.Construct, jsii.String("EveryMinute"), &awsevents.RuleProps{
		Description: jsii.String("ccwb quota: the enforcer's safety net (blocks ending with their period, a missed stream record)"),
		Schedule:    awsevents.Schedule_Rate(awscdk.Duration_Minutes(jsii.Number(1))),
		Targets:     &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(q.Enforcer.Function, nil)},
	})
}
