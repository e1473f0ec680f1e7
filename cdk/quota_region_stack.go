package main

import (
	"fmt"

	"ccwb.dev/constructs/quota"
	qc "ccwb.dev/contract/quota"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/jsii-runtime-go"
)

// newQuotaRegionStack is <name>-quota-<region>: the collector of a source Region other than
// the deployment's. Bedrock logs each call in the Region it was made in, and the role may
// call in every Region of bedrock.regions, so each is metered; the collector writes to the
// tables of the deployment's Region by name, and reads the Bedrock role's name from them.
func newQuotaRegionStack(app awscdk.App, dep *deployment, home awscdk.Stack, region string) awscdk.Stack {
	d := dep.settings
	stack := newStackIn(app, d, stacks.RegionalName(d.Name, stacks.Quota, region), region,
		fmt.Sprintf("the quota collector of %s (Bedrock invocation logs to usage)", region))
	stack.AddStackDependency(home, jsii.String("the collector writes to the quota tables"))
	arn := func(table string) *string {
		return stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("dynamodb"), Region: jsii.String(d.Region), Resource: jsii.String("table"), ResourceName: jsii.String(table)})
	}
	c := collectorOptions(d, region)
	c.Table = awsdynamodb.Table_FromTableArn(stack, jsii.String("QuotaTable"), arn(qc.TableName(d.Name)))
	c.Ledger = awsdynamodb.Table_FromTableArn(stack, jsii.String("QuotaLedger"), arn(qc.LedgerTableName(d.Name)))
	c.Env = quota.Env(quota.QuotaProps{Deployment: d.Name, Prices: d.Bedrock.Prices, Timezone: d.Quota.Timezone,
		UnknownGroups: d.Quota.UnknownGroups, GroupsClaim: d.Quota.GroupsClaim}, jsii.String(d.Region))
	c.Ingest, c.Sweep, c.Logging = lambdaCode(app, quotaIngest), lambdaCode(app, quotaSweep), lambdaCode(app, quotaLogging) // an asset each stack
	quota.NewCollector(stack, "Collector", &c)
	return stack
}
