package auth

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// suppressWildcards records, on the Bedrock policy only, why its wildcards are needed
// (cdk-nag AwsSolutions-IAM5), finding by finding, so a new wildcard still fails synth.
func (a *BedrockAuth) suppressWildcards(regions []string, crossRegionProfile string) {
	var models, profiles []any
	for _, r := range regions {
		models = append(models, fmt.Sprintf("Resource::arn:<AWS::Partition>:bedrock:%s::foundation-model/*", r))
		profiles = append(profiles,
			fmt.Sprintf("Resource::arn:<AWS::Partition>:bedrock:%s:<AWS::AccountId>:inference-profile/*", r),
			fmt.Sprintf("Resource::arn:<AWS::Partition>:bedrock:%s:<AWS::AccountId>:application-inference-profile/*", r))
	}
	if crossRegionProfile == "global" {
		models = append(models, "Resource::arn:<AWS::Partition>:bedrock:::foundation-model/*")
	}
	cdknag.NagSuppressions_AddResourceSuppressions(a.Policy, &[]*cdknag.NagPackSuppression{
		{
			Id:        jsii.String("AwsSolutions-IAM5"),
			Reason:    jsii.String("Users choose the Claude model per request and new model versions appear without notice; the role may use any foundation model, but only in the configured regions (region-specific ARNs)."),
			AppliesTo: &models,
		},
		{
			Id:        jsii.String("AwsSolutions-IAM5"),
			Reason:    jsii.String("Cross-region and application inference profile IDs are not known at deploy time; the ARNs pin this account and the configured regions."),
			AppliesTo: &profiles,
		},
		{
			Id:        jsii.String("AwsSolutions-IAM5"),
			Reason:    jsii.String("ListFoundationModels, ListInferenceProfiles and GetFoundationModelAvailability support no resource-level permissions; the aws:RequestedRegion condition limits them to the configured regions."),
			AppliesTo: &[]any{"Resource::*"},
		},
	}, jsii.Bool(false))
}
