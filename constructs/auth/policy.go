package auth

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// Actions are all the Bedrock actions the role allows, and the only ones.
var Actions = []string{
	"bedrock:InvokeModel",
	"bedrock:InvokeModelWithResponseStream",
	"bedrock:ListFoundationModels",
	"bedrock:GetFoundationModel",
	"bedrock:GetFoundationModelAvailability",
	"bedrock:ListInferenceProfiles",
	"bedrock:GetInferenceProfile",
}

// BedrockStatements is the role's permission policy: invoking and describing models and
// inference profiles by region-specific ARNs in the given regions, and the list actions
// (which IAM authorizes only on "*") limited by aws:RequestedRegion. crossRegionProfile
// "global" adds the region-less foundation-model ARN that global inference profiles
// route to.
func BedrockStatements(regions []string, crossRegionProfile string) *[]awsiam.PolicyStatement {
	partition, account := awscdk.Aws_PARTITION(), awscdk.Aws_ACCOUNT_ID()
	var models, profiles []string
	for _, r := range regions {
		models = append(models, fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/*", *partition, r))
		profiles = append(profiles,
			fmt.Sprintf("arn:%s:bedrock:%s:%s:inference-profile/*", *partition, r, *account),
			fmt.Sprintf("arn:%s:bedrock:%s:%s:application-inference-profile/*", *partition, r, *account))
	}
	invokable := append(append([]string{}, models...), profiles...)
	if crossRegionProfile == "global" {
		invokable = append(invokable, fmt.Sprintf("arn:%s:bedrock:::foundation-model/*", *partition))
	}
	return &[]awsiam.PolicyStatement{
		statement("InvokeModels", Actions[0:2], invokable, nil),
		statement("DescribeModels", []string{"bedrock:GetFoundationModel"}, models, nil),
		statement("DescribeInferenceProfiles", []string{"bedrock:GetInferenceProfile"}, profiles, nil),
		statement("ListInConfiguredRegions",
			[]string{"bedrock:ListFoundationModels", "bedrock:GetFoundationModelAvailability", "bedrock:ListInferenceProfiles"},
			[]string{"*"},
			&map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": regions}}),
	}
}

func statement(sid string, actions, resources []string, conditions *map[string]any) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(sid),
		Effect:     awsiam.Effect_ALLOW,
		Actions:    jsii.Strings(actions...),
		Resources:  jsii.Strings(resources...),
		Conditions: conditions,
	})
}
