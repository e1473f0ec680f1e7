package auth

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// nagARNs renders resources the way cdk-nag names them in findings.
var nagARNs = arns{partition: "<AWS::Partition>", account: "<AWS::AccountId>"}

// suppressWildcards records, on the Bedrock policy only, why each of its wildcards is
// needed (cdk-nag AwsSolutions-IAM5), finding by finding, so a new wildcard still fails
// synth.
func (a *BedrockAuth) suppressWildcards(m ModelAccess) {
	suppressions := []*cdknag.NagPackSuppression{
		iam5("Claude Code chooses the model per request and new model versions appear without notice; the pattern allows only the configured model families (bedrock.allowed_models), in the configured Regions.",
			m.inRegionModels(nagARNs)),
		iam5("System-defined inference-profile IDs follow the model ID; the ARNs pin this account, the configured source Regions and the configured geography (or, without one, are only described, never invoked).",
			m.profiles(nagARNs)),
		iam5("ListFoundationModels, ListInferenceProfiles and GetFoundationModelAvailability support no resource-level permissions; the aws:RequestedRegion condition limits them to the configured Regions.",
			[]string{"*"}),
	}
	if m.Profile != "" {
		routed, _ := m.routedModels(nagARNs)
		suppressions = append(suppressions, iam5("Bedrock routes a call through a cross-Region inference profile to a destination Region it chooses, and may add destinations at any time; this statement applies only to calls through this deployment's profiles (condition bedrock:InferenceProfileArn), the pattern AWS documents for cross-Region inference.",
			routed))
	}
	cdknag.NagSuppressions_AddResourceSuppressions(a.Policy, &suppressions, jsii.Bool(false))
}

func iam5(reason string, resources []string) *cdknag.NagPackSuppression {
	appliesTo := make([]any, len(resources))
	for i, r := range resources {
		appliesTo[i] = "Resource::" + r
	}
	return &cdknag.NagPackSuppression{Id: jsii.String("AwsSolutions-IAM5"), Reason: jsii.String(reason), AppliesTo: &appliesTo}
}
