package cli

import (
	"context"
	"fmt"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"ccwb.dev/cdk/internal/stackstatus"
	"ccwb.dev/cdk/settings"
)

// regionalStacks describes each stack in its own Region: the quota collectors of other
// source Regions (<name>-quota-<region>) live there, every other stack in the deployment's.
type regionalStacks struct {
	home    stackstatus.API
	regions map[string]string // stack name → Region
	clients map[string]stackstatus.API
}

func regional(home stackstatus.API, d *settings.Deployment) *regionalStacks {
	r := &regionalStacks{home: home, regions: map[string]string{}, clients: map[string]stackstatus.API{}}
	names := d.QuotaRegionalStacks()
	for i, region := range d.QuotaRegions() {
		r.regions[names[i]] = region
	}
	return r
}

func (r *regionalStacks) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	region, ok := r.regions[*in.StackName]
	if !ok {
		return r.home.DescribeStacks(ctx, in, opts...)
	}
	c, ok := r.clients[region]
	if !ok {
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
		if err != nil {
			return nil, fmt.Errorf("load AWS configuration for %s: %w", region, err)
		}
		c = cloudformation.NewFromConfig(cfg)
		r.clients[region] = c
	}
	return c.DescribeStacks(ctx, in, opts...)
}
