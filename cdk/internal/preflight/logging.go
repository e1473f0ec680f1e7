package preflight

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/lambda/quota/logging"
)

// SubscriptionFiltersPerLogGroup is how many subscription filters CloudWatch Logs allows on
// one log group, a quota that cannot be raised
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html).
const SubscriptionFiltersPerLogGroup = 2

// Bedrock is the Bedrock call of the invocation-logging check (*bedrock.Client).
type Bedrock interface {
	GetModelInvocationLoggingConfiguration(ctx context.Context, in *bedrock.GetModelInvocationLoggingConfigurationInput, optFns ...func(*bedrock.Options)) (*bedrock.GetModelInvocationLoggingConfigurationOutput, error)
}

// Logs is the CloudWatch Logs call of the check (*cloudwatchlogs.Client).
type Logs interface {
	DescribeSubscriptionFilters(ctx context.Context, in *cloudwatchlogs.DescribeSubscriptionFiltersInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeSubscriptionFiltersOutput, error)
}

// RegionClients are the clients of one Region.
type RegionClients struct {
	Bedrock        Bedrock
	Logs           Logs
	CloudFormation StackResources
}

// Clients returns the clients of a Region.
type Clients func(region string) RegionClients

// NewClients makes each Region's clients from cfg (the deploying credentials).
func NewClients(cfg aws.Config) Clients {
	return func(region string) RegionClients {
		return RegionClients{
			Bedrock:        bedrock.NewFromConfig(cfg, func(o *bedrock.Options) { o.Region = region }),
			Logs:           cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.Region = region }),
			CloudFormation: cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.Region = region }),
		}
	}
}

// LoggingReport is what the invocation-logging check found.
type LoggingReport struct {
	// Regions are the Regions checked.
	Regions []string
	// Refused are what would fail the deploy, each naming the Region, the setting and the fix.
	Refused []error
	// Unchecked are the Regions whose AWS calls failed: nothing is known of them.
	Unchecked []error
}

// Err is every problem found, one a line, or nil.
func (r LoggingReport) Err() error {
	var lines []string
	for _, err := range append(append([]error(nil), r.Refused...), r.Unchecked...) {
		lines = append(lines, err.Error())
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("the quota's model invocation logging is not ready (nothing was deployed):\n  - %s", strings.Join(lines, "\n  - "))
}

// InvocationLogging checks, in each collector's Region, what the quota stacks' logging
// resource and subscription would meet during the deploy, so that `ccwb deploy` stops
// before the first stack rather than halfway (docs/platform/quotas.md):
//   - "create": the Region has no model invocation logging configuration, or ccwb's own: one
//     that logs to CloudWatch Logs alone, to a log group and with a role of the collector's
//     stack (the rule and message of lambda/quota/logging, CheckCreate).
//   - "join": the configuration logs to quota.existing_log_groups[region] (CheckJoin), that
//     group exists and has room for the collector's subscription filter, unless the
//     collector's stack has one there already (its destination is a function of that stack).
//
// Every Region is checked and every problem reported.
func InvocationLogging(ctx context.Context, clients Clients, d *settings.Deployment, collectors []settings.QuotaCollector) LoggingReport {
	var r LoggingReport
	for _, col := range collectors {
		r.Regions = append(r.Regions, col.Region)
		refused, unchecked := checkCollector(ctx, clients(col.Region), d, col)
		if refused != nil {
			r.Refused = append(r.Refused, refused)
		}
		if unchecked != nil {
			r.Unchecked = append(r.Unchecked, unchecked)
		}
	}
	return r
}

func checkCollector(ctx context.Context, c RegionClients, d *settings.Deployment, col settings.QuotaCollector) (refused, unchecked error) {
	out, err := c.Bedrock.GetModelInvocationLoggingConfiguration(ctx, &bedrock.GetModelInvocationLoggingConfigurationInput{})
	if err != nil {
		return nil, fmt.Errorf("%s: read the model invocation logging configuration (bedrock:GetModelInvocationLoggingConfiguration): %w", col.Region, err)
	}
	live := out.LoggingConfig
	if d.Quota.InvocationLogging == logging.Join {
		return checkJoin(ctx, c, col, d.Quota.ExistingLogGroups[col.Region], live)
	}
	if !logging.Configured(live) {
		return nil, nil
	}
	own, err := listStackResources(ctx, c.CloudFormation, col.Stack)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", col.Region, err)
	}
	return logging.CheckCreate(live, col.Region, own.wroteLogging), nil
}

func checkJoin(ctx context.Context, c RegionClients, col settings.QuotaCollector, group string, live *bedrocktypes.LoggingConfig) (refused, unchecked error) {
	if err := logging.CheckJoin(live, col.Region, group); err != nil {
		return err, nil
	}
	field := fmt.Sprintf("quota.existing_log_groups[%q]", col.Region)
	filters, err := subscriptionFilters(ctx, c.Logs, group)
	var missing *logstypes.ResourceNotFoundException
	switch {
	case errors.As(err, &missing):
		return fmt.Errorf("%s: log group %s does not exist in %s, though Bedrock's model invocation logging there names it; create it (aws logs create-log-group --region %s --log-group-name %s), or point that configuration at a group that exists and set %s to it", field, group, col.Region, col.Region, group, field), nil
	case err != nil:
		return nil, fmt.Errorf("%s: list the subscription filters of %s (logs:DescribeSubscriptionFilters): %w", col.Region, group, err)
	case len(filters) < SubscriptionFiltersPerLogGroup:
		return nil, nil
	}
	own, err := listStackResources(ctx, c.CloudFormation, col.Stack)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", col.Region, err)
	}
	var present []string
	for _, f := range filters {
		if own.consumes(f) {
			return nil, nil // the collector's own filter: the deploy updates it in place
		}
		present = append(present, aws.ToString(f.FilterName)+" → "+aws.ToString(f.DestinationArn))
	}
	slices.Sort(present)
	return fmt.Errorf("%s: log group %s in %s has %d subscription filters (%s), the most CloudWatch Logs allows on a log group (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html), so the quota collector's filter cannot be added; remove one (aws logs delete-subscription-filter --region %s --log-group-name %s --filter-name <name>), or have Bedrock log to another group and set %s to it",
		field, group, col.Region, len(filters), strings.Join(present, ", "), col.Region, group, field), nil
}

// subscriptionFilters are the log group's subscription filters, every page
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeSubscriptionFilters.html).
func subscriptionFilters(ctx context.Context, api Logs, group string) ([]logstypes.SubscriptionFilter, error) {
	var out []logstypes.SubscriptionFilter
	p := cloudwatchlogs.NewDescribeSubscriptionFiltersPaginator(api, &cloudwatchlogs.DescribeSubscriptionFiltersInput{LogGroupName: aws.String(group)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.SubscriptionFilters...)
	}
	return out, nil
}
