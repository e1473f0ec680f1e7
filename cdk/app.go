package main

import (
	"fmt"
	"os"

	"ccwb.dev/cdk/settings"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// loadSettings reads and validates the settings file that the CDK context names,
// relative to the directory holding cdk.json.
func loadSettings(app awscdk.App) (*settings.Deployment, error) {
	path, _ := app.Node().TryGetContext(jsii.String(settings.ContextKey)).(string)
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("load settings: %w", err)
	}
	resolved, err := settings.ResolvePath(wd, path)
	if err != nil {
		return nil, err
	}
	return settings.Load(resolved)
}

// applyChecks runs cdk-nag's AwsSolutions pack over every stack: findings are synth
// errors. Constructs suppress what they must at resource level, each with its reason.
func applyChecks(app awscdk.App) {
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// newStack creates one stack of the deployment, <name>-<part>, in its region.
func newStack(app awscdk.App, d *settings.Deployment, part, description string) awscdk.Stack {
	return newStackIn(app, d, d.StackName(part), d.Region, description)
}

// newStackIn creates the deployment's stack name in region (and the account when pinned),
// tagged with the deployment's tags.
func newStackIn(app awscdk.App, d *settings.Deployment, name, region, description string) awscdk.Stack {
	env := &awscdk.Environment{Region: jsii.String(region)}
	if d.Account != "" {
		env.Account = jsii.String(d.Account)
	}
	stack := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
		Env:         env,
		Description: jsii.String(fmt.Sprintf("ccwb %s: %s", d.Name, description)),
	})
	for k, v := range d.Tags {
		awscdk.Tags_Of(stack).Add(jsii.String(k), jsii.String(v), nil)
	}
	return stack
}

// output declares a stack output under a stable name from package outputs: the logical
// ID is the name itself, so `ccwb package` finds it whatever the construct tree.
func output(stack awscdk.Stack, name string, value *string, description string) {
	o := awscdk.NewCfnOutput(stack, jsii.String(name), &awscdk.CfnOutputProps{
		Value:       value,
		Description: jsii.String(description),
	})
	o.OverrideLogicalId(jsii.String(name))
}
