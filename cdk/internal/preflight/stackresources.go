package preflight

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"ccwb.dev/cdk/internal/stackstatus"
	"ccwb.dev/lambda/quota/logging"
)

// StackResources is the CloudFormation call that tells ccwb's own resources
// (*cloudformation.Client).
type StackResources interface {
	ListStackResources(ctx context.Context, in *cloudformation.ListStackResourcesInput, optFns ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error)
}

// The resource types of a collector stack that its Region's logging refers to.
const (
	logGroupType = "AWS::Logs::LogGroup"
	roleType     = "AWS::IAM::Role"
	functionType = "AWS::Lambda::Function"
)

// stackResources are the physical IDs of a stack's resources, by type: a log group's name,
// a role's name, a function's name. Empty for a stack that does not exist (a first deploy).
type stackResources map[string]map[string]bool

// listStackResources reads every resource of the stack: ListStackResources, every page
// (DescribeStackResources returns the first 100 only,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html).
func listStackResources(ctx context.Context, api StackResources, stack string) (stackResources, error) {
	out := stackResources{}
	p := cloudformation.NewListStackResourcesPaginator(api, &cloudformation.ListStackResourcesInput{StackName: aws.String(stack)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if stackstatus.NotExist(err) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list the resources of %s (cloudformation:ListStackResources) to tell ccwb's own: %w", stack, err)
		}
		for _, r := range page.StackResourceSummaries {
			if r.ResourceStatus == cftypes.ResourceStatusDeleteComplete {
				continue
			}
			typ := aws.ToString(r.ResourceType)
			if out[typ] == nil {
				out[typ] = map[string]bool{}
			}
			out[typ][aws.ToString(r.PhysicalResourceId)] = true
		}
	}
	return out, nil
}

// wroteLogging: c is the configuration the stack's logging resource writes, to a log group
// and with a role of the stack (the role's ARN ends in its name).
func (s stackResources) wroteLogging(c *bedrocktypes.LoggingConfig) bool {
	cw := c.CloudWatchConfig
	if cw == nil {
		return false
	}
	group, role := aws.ToString(cw.LogGroupName), aws.ToString(cw.RoleArn)
	a, err := arn.Parse(role)
	if err != nil || !strings.HasPrefix(a.Resource, "role/") {
		return false
	}
	name := a.Resource[strings.LastIndex(a.Resource, "/")+1:]
	return s[logGroupType][group] && s[roleType][name] && logging.Ours(c, group, role)
}

// consumes: f delivers to a function of the stack (the collector's consumer).
func (s stackResources) consumes(f logstypes.SubscriptionFilter) bool {
	a, err := arn.Parse(aws.ToString(f.DestinationArn))
	if err != nil || a.Service != "lambda" {
		return false
	}
	parts := strings.Split(a.Resource, ":") // function:<name>[:<qualifier>]
	return len(parts) >= 2 && parts[0] == "function" && s[functionType][parts[1]]
}
