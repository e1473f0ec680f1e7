package cli

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/stackstatus"
	"ccwb.dev/cdk/settings"
)

// awsConfig is the administrator's AWS configuration in region: the AWS CLI's (AWS_PROFILE,
// SSO, environment variables...), to which ccwb adds nothing.
func awsConfig(ctx context.Context, region string) (aws.Config, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	return cfg, nil
}

// cloudFormation describes the deployment's stacks, each in its own Region, with the
// administrator's AWS credentials.
func (a *app) cloudFormation(cmd *cobra.Command, d *settings.Deployment) (stackstatus.API, error) {
	cfg, err := awsConfig(cmd.Context(), d.Region)
	if err != nil {
		return nil, err
	}
	return regional(cfg, d), nil
}

// regionalStacks describes each stack in its own Region: the quota collectors of other
// source Regions (<name>-quota-<region>) live there, every other stack in the deployment's.
type regionalStacks struct {
	cfg     aws.Config
	regions map[string]string // stack name → Region
	clients map[string]*cloudformation.Client
}

// regional describes the stacks of d with cfg's credentials.
func regional(cfg aws.Config, d *settings.Deployment) *regionalStacks {
	r := &regionalStacks{cfg: cfg, regions: map[string]string{}, clients: map[string]*cloudformation.Client{}}
	for _, c := range d.QuotaCollectors() {
		r.regions[c.Stack] = c.Region
	}
	return r
}

func (r *regionalStacks) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	region, ok := r.regions[aws.ToString(in.StackName)]
	if !ok {
		region = r.cfg.Region
	}
	c, ok := r.clients[region]
	if !ok {
		c = cloudformation.NewFromConfig(r.cfg, func(o *cloudformation.Options) { o.Region = region })
		r.clients[region] = c
	}
	return c.DescribeStacks(ctx, in, opts...)
}
