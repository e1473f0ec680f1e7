package analytics

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsathena"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/analytics/queries"
)

// athena creates the workgroup (settings enforced, encrypted results in the results
// bucket, per-query scan limit) and one named query per queries.All entry.
func (a *Analytics) athena(p AnalyticsProps, qs []queries.Query) {
	a.WorkGroup = awsathena.NewCfnWorkGroup(a.Construct, jsii.String("WorkGroup"), &awsathena.CfnWorkGroupProps{
		Name:                  jsii.String(a.WorkGroupName),
		Description:           jsii.String("ccwb: Claude Code usage analytics"),
		State:                 jsii.String("ENABLED"),
		RecursiveDeleteOption: jsii.Bool(true),
		WorkGroupConfiguration: &awsathena.CfnWorkGroup_WorkGroupConfigurationProperty{
			EnforceWorkGroupConfiguration:   jsii.Bool(true),
			PublishCloudWatchMetricsEnabled: jsii.Bool(true),
			BytesScannedCutoffPerQuery:      jsii.Number(float64(p.QueryLimitGB) * (1 << 30)),
			EngineVersion:                   &awsathena.CfnWorkGroup_EngineVersionProperty{SelectedEngineVersion: jsii.String("Athena engine version 3")},
			ResultConfiguration: &awsathena.CfnWorkGroup_ResultConfigurationProperty{
				OutputLocation:          jsii.String("s3://" + *a.ResultsBucket.BucketName() + "/"),
				EncryptionConfiguration: &awsathena.CfnWorkGroup_EncryptionConfigurationProperty{EncryptionOption: jsii.String("SSE_S3")},
			},
		},
	})
	for _, q := range qs {
		nq := awsathena.NewCfnNamedQuery(a.Construct, jsii.String("Query-"+q.Name), &awsathena.CfnNamedQueryProps{
			Name:        jsii.String(q.Name),
			Description: jsii.String(q.Description),
			Database:    jsii.String(a.DatabaseName),
			QueryString: jsii.String(q.SQL),
			WorkGroup:   a.WorkGroup.Ref(),
		})
		nq.Node().AddDependency(a.Database)
		a.NamedQueries = append(a.NamedQueries, nq)
	}
}
