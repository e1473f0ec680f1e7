package analytics

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"ccwb.dev/contract/schema"
)

// secureBucket is encrypted (S3-managed keys), TLS only, private, owner-enforced unless
// props say otherwise, and kept
// when the stack is deleted.
func secureBucket(a *Analytics, id string, props *awss3.BucketProps) awss3.Bucket {
	props.Encryption = awss3.BucketEncryption_S3_MANAGED
	props.EnforceSSL = jsii.Bool(true)
	props.BlockPublicAccess = awss3.BlockPublicAccess_BLOCK_ALL()
	if props.ObjectOwnership == "" {
		props.ObjectOwnership = awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED
	}
	props.RemovalPolicy = awscdk.RemovalPolicy_RETAIN
	return awss3.NewBucket(a.Construct, jsii.String(id), props)
}

func days(n int) awscdk.Duration { return awscdk.Duration_Days(jsii.Number(n)) }

// buckets creates the access-log bucket, the data bucket (versioned, rows and failed
// records expire after the retention) and the query results bucket.
func (a *Analytics) buckets(p AnalyticsProps) {
	// S3 log delivery gets a bucket policy, not the legacy LogDeliveryWrite ACL. Feature
	// flags are read up the tree, so the flag on this construct applies to its buckets.
	a.Construct.Node().SetContext(jsii.String("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"), true)
	a.AccessLogsBucket = secureBucket(a, "AccessLogs", &awss3.BucketProps{
		LifecycleRules: &[]*awss3.LifecycleRule{{Expiration: days(p.RetentionDays)}},
	})
	cdknag.NagSuppressions_AddResourceSuppressions(a.AccessLogsBucket, &[]*cdknag.NagPackSuppression{{
		Id:     jsii.String("AwsSolutions-S1"),
		Reason: jsii.String("This is the server access log bucket of the analytics buckets; logging it into itself would loop."),
	}}, jsii.Bool(false))

	a.DataBucket = secureBucket(a, "Data", &awss3.BucketProps{
		Versioned:              jsii.Bool(true),
		ServerAccessLogsBucket: a.AccessLogsBucket,
		ServerAccessLogsPrefix: jsii.String("data/"),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("retention"),
			Expiration:                          days(p.RetentionDays),
			NoncurrentVersionExpiration:         days(7),
			AbortIncompleteMultipartUploadAfter: days(1),
		}},
	})
	a.ResultsBucket = secureBucket(a, "QueryResults", &awss3.BucketProps{
		ServerAccessLogsBucket: a.AccessLogsBucket,
		ServerAccessLogsPrefix: jsii.String("results/"),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("expire-results"),
			Expiration:                          days(p.ResultsRetentionDays),
			AbortIncompleteMultipartUploadAfter: days(1),
		}},
	})
}

// Partition projection ranges. Firehose names partitions by arrival time, so years
// before the first deployment never occur.
const (
	firstYear = 2025
	lastYear  = 2045
)

// glue creates the database and the table: columns from schema.Columns(), partition keys
// schema.PartitionKeys projected (no crawler, no partition management).
func (a *Analytics) glue(p AnalyticsProps) {
	stack := awscdk.Stack_Of(a.Construct)
	a.Database = awsglue.NewCfnDatabase(a.Construct, jsii.String("Database"), &awsglue.CfnDatabaseProps{
		CatalogId: stack.Account(),
		DatabaseInput: &awsglue.CfnDatabase_DatabaseInputProperty{
			Name:        jsii.String(a.DatabaseName),
			Description: jsii.String("ccwb: Claude Code usage metrics"),
		},
	})
	var cols []*awsglue.CfnTable_ColumnProperty
	for _, c := range schema.Columns() {
		cols = append(cols, &awsglue.CfnTable_ColumnProperty{Name: jsii.String(c.Name), Type: jsii.String(string(c.Type)), Comment: jsii.String(c.Doc)})
	}
	ranges := map[string][3]int{ // min, max, digits
		"year": {firstYear, lastYear, 4}, "month": {1, 12, 2}, "day": {1, 31, 2}, "hour": {0, 23, 2},
	}
	params := map[string]any{
		"classification":     "parquet",
		"projection.enabled": "true",
	}
	var keys []*awsglue.CfnTable_ColumnProperty
	template := "s3://" + *a.DataBucket.BucketName() + "/" + DataPrefix
	for i, k := range schema.PartitionKeys {
		r, ok := ranges[k]
		if !ok {
			panic("analytics: no projection range for partition key " + k)
		}
		keys = append(keys, &awsglue.CfnTable_ColumnProperty{Name: jsii.String(k), Type: jsii.String("string")})
		params["projection."+k+".type"] = "integer"
		params["projection."+k+".range"] = fmt.Sprintf("%d,%d", r[0], r[1])
		params["projection."+k+".digits"] = fmt.Sprint(r[2])
		if i > 0 {
			template += "/"
		}
		template += k + "=${" + k + "}"
	}
	params["storage.location.template"] = template + "/"
	a.Table = awsglue.NewCfnTable(a.Construct, jsii.String("Table"), &awsglue.CfnTableProps{
		CatalogId:    stack.Account(),
		DatabaseName: jsii.String(a.DatabaseName),
		TableInput: &awsglue.CfnTable_TableInputProperty{
			Name:          jsii.String(p.TableName),
			Description:   jsii.String("One row per Claude Code metric data point (see docs/analyst)"),
			TableType:     jsii.String("EXTERNAL_TABLE"),
			Parameters:    params,
			PartitionKeys: &keys,
			StorageDescriptor: &awsglue.CfnTable_StorageDescriptorProperty{
				Columns:      &cols,
				Location:     jsii.String("s3://" + *a.DataBucket.BucketName() + "/" + DataPrefix),
				InputFormat:  jsii.String("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"),
				OutputFormat: jsii.String("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
				SerdeInfo: &awsglue.CfnTable_SerdeInfoProperty{
					SerializationLibrary: jsii.String("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
					Parameters:           map[string]any{"serialization.format": "1"},
				},
			},
		},
	})
	a.Table.Node().AddDependency(a.Database)
}
