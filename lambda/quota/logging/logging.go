// Package logging is the custom resource that sets up Amazon Bedrock model invocation
// logging for the quota collector of one Region: metadata only (every data delivery off,
// unless text delivery is asked for), to the collector's CloudWatch log group. The setting
// is one per account and Region, and CloudFormation has no resource for it, so the resource
// reads it first: it never replaces a configuration it did not write (mode "create" fails
// then, naming the way out), and in mode "join" it only checks that the configured log
// group is the live one
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutModelInvocationLoggingConfiguration.html).
package logging

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/env"
)

// PhysicalID is the resource's one physical ID: a new one would make CloudFormation delete
// the old resource, that is the Region's configuration.
const PhysicalID = "ccwb-model-invocation-logging"

// Modes, as quota.invocation_logging names them.
const (
	Create = quota.LoggingCreate
	Join   = quota.LoggingJoin
)

// Bedrock is what the resource calls (*bedrock.Client).
type Bedrock interface {
	GetModelInvocationLoggingConfiguration(context.Context, *bedrock.GetModelInvocationLoggingConfigurationInput, ...func(*bedrock.Options)) (*bedrock.GetModelInvocationLoggingConfigurationOutput, error)
	PutModelInvocationLoggingConfiguration(context.Context, *bedrock.PutModelInvocationLoggingConfigurationInput, ...func(*bedrock.Options)) (*bedrock.PutModelInvocationLoggingConfigurationOutput, error)
	DeleteModelInvocationLoggingConfiguration(context.Context, *bedrock.DeleteModelInvocationLoggingConfigurationInput, ...func(*bedrock.Options)) (*bedrock.DeleteModelInvocationLoggingConfigurationOutput, error)
}

// Props are the resource's properties (CloudFormation passes them as strings).
type Props struct {
	Mode, Region, LogGroupName, RoleARN string
	TextDelivery                        bool
}

func propsOf(ev cfn.Event) Props {
	s := func(k string) string { v, _ := ev.ResourceProperties[k].(string); return v }
	return Props{Mode: s(env.LoggingMode), Region: s(env.LoggingRegion), LogGroupName: s(env.LoggingLogGroupName),
		RoleARN: s(env.LoggingRoleARN), TextDelivery: s(env.LoggingTextDelivery) == "true"}
}

// Resource handles the custom resource's events.
type Resource struct{ Bedrock Bedrock }

// Handle is the cfn.CustomResourceFunction.
func (r *Resource) Handle(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
	p := propsOf(ev)
	live, err := r.Bedrock.GetModelInvocationLoggingConfiguration(ctx, &bedrock.GetModelInvocationLoggingConfigurationInput{})
	if err != nil {
		return PhysicalID, nil, fmt.Errorf("read the model invocation logging configuration of %s: %w", p.Region, err)
	}
	cur := live.LoggingConfig
	switch {
	case ev.RequestType == cfn.RequestDelete:
		if p.Mode == Create && Ours(cur, p.LogGroupName, p.RoleARN) {
			if _, err := r.Bedrock.DeleteModelInvocationLoggingConfiguration(ctx, &bedrock.DeleteModelInvocationLoggingConfigurationInput{}); err != nil {
				return PhysicalID, nil, fmt.Errorf("delete the model invocation logging configuration of %s: %w", p.Region, err)
			}
		}
		return PhysicalID, nil, nil
	case p.Mode == Join:
		return PhysicalID, nil, CheckJoin(cur, p.Region, p.LogGroupName)
	}
	own := func(c *types.LoggingConfig) bool {
		return Ours(c, p.LogGroupName, p.RoleARN) || (ev.RequestType == cfn.RequestUpdate && oursBefore(c, ev))
	}
	if err := CheckCreate(cur, p.Region, own); err != nil {
		return PhysicalID, nil, err
	}
	if _, err := r.Bedrock.PutModelInvocationLoggingConfiguration(ctx, &bedrock.PutModelInvocationLoggingConfigurationInput{LoggingConfig: Config(p)}); err != nil {
		return PhysicalID, nil, fmt.Errorf("set up model invocation logging in %s: %w", p.Region, err)
	}
	return PhysicalID, nil, nil
}

// Config is the configuration ccwb writes: CloudWatch Logs only, every data delivery off
// but text when asked for (the token counts are metadata).
func Config(p Props) *types.LoggingConfig {
	return &types.LoggingConfig{
		CloudWatchConfig:             &types.CloudWatchConfig{LogGroupName: aws.String(p.LogGroupName), RoleArn: aws.String(p.RoleARN)},
		TextDataDeliveryEnabled:      aws.Bool(p.TextDelivery),
		ImageDataDeliveryEnabled:     aws.Bool(false),
		EmbeddingDataDeliveryEnabled: aws.Bool(false),
		VideoDataDeliveryEnabled:     aws.Bool(false),
		AudioDataDeliveryEnabled:     aws.Bool(false),
	}
}

// Configured is whether c delivers anywhere (to CloudWatch Logs or S3).
func Configured(c *types.LoggingConfig) bool {
	return c != nil && (c.CloudWatchConfig != nil || c.S3Config != nil)
}

// Ours is whether c is the configuration ccwb writes (Config) for this log group and role:
// CloudWatch Logs only, to exactly them.
func Ours(c *types.LoggingConfig, logGroup, roleARN string) bool {
	return Configured(c) && c.S3Config == nil && c.CloudWatchConfig != nil &&
		aws.ToString(c.CloudWatchConfig.LogGroupName) == logGroup && aws.ToString(c.CloudWatchConfig.RoleArn) == roleARN
}

// oursBefore: on an update, the live configuration is the one this resource wrote with its
// old properties (a renamed log group or role).
func oursBefore(c *types.LoggingConfig, ev cfn.Event) bool {
	old := propsOf(cfn.Event{ResourceProperties: ev.OldResourceProperties})
	return Ours(c, old.LogGroupName, old.RoleARN)
}

// CheckCreate is the rule of mode "create" in region: ccwb writes the Region's
// configuration only over none or over its own (own tells which is), never over another
// tool's or deployment's; the error says what it found and the way out. The custom
// resource applies it during the deploy, `ccwb deploy` before it (cdk/internal/preflight).
func CheckCreate(c *types.LoggingConfig, region string, own func(*types.LoggingConfig) bool) error {
	if !Configured(c) || own(c) {
		return nil
	}
	return fmt.Errorf("Bedrock model invocation logging is already configured in %s (%s); ccwb will not replace it: set quota.invocation_logging to \"join\" with quota.existing_log_groups[%q] = its log group, or remove that configuration first", region, Describe(c), region)
}

// CheckJoin is the rule of mode "join" in region: the live configuration logs to CloudWatch
// Logs, to logGroup (quota.existing_log_groups[region]).
func CheckJoin(c *types.LoggingConfig, region, logGroup string) error {
	if !Configured(c) || c.CloudWatchConfig == nil {
		return fmt.Errorf("quota.invocation_logging is \"join\" but %s has no model invocation logging to CloudWatch Logs (%s); set it up, or use \"create\"", region, Describe(c))
	}
	if got := aws.ToString(c.CloudWatchConfig.LogGroupName); got != logGroup {
		return fmt.Errorf("model invocation logging in %s writes to log group %s, not %s; set quota.existing_log_groups[%q] to %q", region, got, logGroup, region, got)
	}
	return nil
}

// Describe names where c delivers: "log group …", "bucket …", both, or "none".
func Describe(c *types.LoggingConfig) string {
	if !Configured(c) {
		return "none"
	}
	s := ""
	if c.CloudWatchConfig != nil {
		s = "log group " + aws.ToString(c.CloudWatchConfig.LogGroupName)
	}
	if c.S3Config != nil {
		if s != "" {
			s += ", "
		}
		s += "bucket " + aws.ToString(c.S3Config.BucketName)
	}
	return s
}
