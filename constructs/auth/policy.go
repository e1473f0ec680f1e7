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

// invokeActions authorize InvokeModel, InvokeModelWithResponseStream, Converse and
// ConverseStream.
var invokeActions = Actions[0:2]

// GlobalProfile is the prefix of the global cross-Region inference profiles, whose routed
// calls AWS authorizes on the Region-less foundation-model ARN.
const GlobalProfile = "global"

// ModelAccess is what the Bedrock policy allows: which models, called how, from where.
type ModelAccess struct {
	// Regions are the source Regions: where the client calls Bedrock.
	Regions []string
	// Profile is the cross-Region inference-profile prefix ("us", "eu", "global", ...),
	// or "" for in-Region model IDs only.
	Profile string
	// Models are foundation-model ID patterns with IAM wildcards, e.g. "anthropic.*".
	Models []string
	// Account owns the inference profiles the policy names; "" is the stack's own account.
	// An Identity Center permission set is deployed in the instance's account and applied in
	// another, so it names that one.
	Account string
}

// arns renders the resources the policy names; partition and account are CloudFormation
// pseudo parameters.
type arns struct{ partition, account string }

func (m ModelAccess) arns() arns {
	account := m.Account
	if account == "" {
		account = *awscdk.Aws_ACCOUNT_ID()
	}
	return arns{partition: *awscdk.Aws_PARTITION(), account: account}
}

func (a arns) model(region, pattern string) string {
	return fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/%s", a.partition, region, pattern)
}

func (a arns) profile(region, id string) string {
	return fmt.Sprintf("arn:%s:bedrock:%s:%s:inference-profile/%s", a.partition, region, a.account, id)
}

// inRegionModels are the foundation models of the allowed patterns in every source Region.
func (m ModelAccess) inRegionModels(a arns) []string {
	var out []string
	for _, r := range m.Regions {
		for _, p := range m.Models {
			out = append(out, a.model(r, p))
		}
	}
	return out
}

// profiles are the configured geography's inference profiles of the allowed models in
// every source Region. Without a geography (in-Region only) they are every geography's
// profiles of those models, for the describe action only.
func (m ModelAccess) profiles(a arns) []string {
	prefix := m.Profile
	if prefix == "" {
		prefix = "*"
	}
	var out []string
	for _, r := range m.Regions {
		for _, p := range m.Models {
			out = append(out, a.profile(r, prefix+"."+p))
		}
	}
	return out
}

// routedModels is where a call through the configured profile lands: the foundation model
// in any Region (AWS picks the destination within the profile's geography, and may add
// destinations at any time), or for global profiles the Region-less model ARN with
// aws:RequestedRegion "unspecified", as AWS documents for each kind.
func (m ModelAccess) routedModels(a arns) (resources []string, conditions map[string]any) {
	through := map[string]any{"bedrock:InferenceProfileArn": m.profiles(a)}
	region := "*"
	conditions = map[string]any{"ArnLike": through}
	if m.Profile == GlobalProfile {
		region = ""
		conditions["StringEquals"] = map[string]any{"aws:RequestedRegion": "unspecified"}
	}
	for _, p := range m.Models {
		resources = append(resources, a.model(region, p))
	}
	return resources, conditions
}

// BedrockStatements is the role's permission policy (see docs/platform/iam-model.md):
//   - InvokeInRegion: the allowed models by in-Region model ID, in the source Regions;
//   - InvokeThroughProfile and InvokeRoutedModels: the configured geography's profiles in
//     the source Regions, and the foundation models they route to, only through them
//     (bedrock:InferenceProfileArn); absent without a profile;
//   - DescribeModels, DescribeInferenceProfiles: the same models and profiles;
//   - ListInConfiguredRegions: the list actions (IAM authorizes them only on "*") limited
//     by aws:RequestedRegion.
func BedrockStatements(m ModelAccess) *[]awsiam.PolicyStatement {
	a := m.arns()
	models, profiles := m.inRegionModels(a), m.profiles(a)
	out := []awsiam.PolicyStatement{statement("InvokeInRegion", invokeActions, models, nil)}
	if m.Profile != "" {
		routed, conditions := m.routedModels(a)
		out = append(out,
			statement("InvokeThroughProfile", invokeActions, profiles, nil),
			statement("InvokeRoutedModels", invokeActions, routed, &conditions))
	}
	out = append(out,
		statement("DescribeModels", []string{"bedrock:GetFoundationModel"}, models, nil),
		statement("DescribeInferenceProfiles", []string{"bedrock:GetInferenceProfile"}, profiles, nil),
		statement("ListInConfiguredRegions",
			[]string{"bedrock:ListFoundationModels", "bedrock:GetFoundationModelAvailability", "bedrock:ListInferenceProfiles"},
			[]string{"*"},
			&map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": m.Regions}}),
	)
	return &out
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
