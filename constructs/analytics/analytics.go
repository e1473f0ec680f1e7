// Package analytics is the analytics pipeline construct: the metrics log group's EMF
// events go through a subscription filter to Firehose, the transform Lambda turns them into
// rows, Firehose writes them as Parquet into S3 partitioned by hour, a Glue table with
// partition projection describes them, and an Athena workgroup with named queries reads
// them.
package analytics

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsathena"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/analytics/queries"
)

// Defaults of AnalyticsProps.
const (
	DefaultRetentionDays        = 365
	DefaultResultsRetentionDays = 30
	DefaultBufferSeconds        = 300
	DefaultBufferMB             = 128
	DefaultQueryLimitGB         = 10
	DefaultTableName            = "claude_code_metrics"
	// TransformBufferMB is the Lambda processor's input buffer: the rows of 0.5 MB of
	// compressed records (about 7 times larger, base64 in the response) stay well inside
	// the 6 MB Lambda response; the handler puts back what does not fit.
	TransformBufferMB = "0.5"
	// TransformMemoryMB is the transform Lambda's memory: 1769 MB is one whole vCPU.
	TransformMemoryMB = 1769
)

// S3 layout of the data bucket.
const (
	DataPrefix  = "metrics/"
	ErrorPrefix = "errors/"
)

// AnalyticsProps configures the pipeline.
type AnalyticsProps struct {
	// MetricsLogGroup receives the collector's EMF events (required).
	MetricsLogGroup awslogs.ILogGroup
	// TransformCode is the metrics-transform function, a provided.al2023 arm64 bootstrap
	// (required; see lambdabuild).
	TransformCode awslambda.Code
	// RetentionDays keeps rows (and failed records) this long (default 365).
	RetentionDays int
	// ResultsRetentionDays keeps Athena query results this long (default 30).
	ResultsRetentionDays int
	// BufferSeconds and BufferMB are Firehose's S3 buffering hints (default 300 s and
	// 128 MB; Parquet conversion needs at least 64 MB).
	BufferSeconds int
	BufferMB      int
	// QueryLimitGB caps the bytes one Athena query may scan (default 10).
	QueryLimitGB int
	// Name names the Glue database (<name>_analytics, lower case with underscores) and
	// the Athena workgroup (<name>-analytics); default the stack name. Give the
	// deployment's name so two deployments in one account do not collide.
	Name string
	// TableName is the Glue table (default claude_code_metrics).
	TableName string
	// Prices and Quotas parameterise the named queries (empty prices: pricing.Defaults).
	Prices []queries.Price
	Quotas queries.Quotas
	// UserLimits are the quota stack's monthly limits, for the quota query. Default none.
	UserLimits []queries.UserLimit
}

// Analytics holds the pipeline's resources.
type Analytics struct {
	constructs.Construct
	DataBucket         awss3.Bucket
	ResultsBucket      awss3.Bucket
	AccessLogsBucket   awss3.Bucket
	Transform          awslambda.Function
	DeliveryStream     awskinesisfirehose.CfnDeliveryStream
	SubscriptionFilter awslogs.CfnSubscriptionFilter
	Database           awsglue.CfnDatabase
	Table              awsglue.CfnTable
	WorkGroup          awsathena.CfnWorkGroup
	NamedQueries       []awsathena.CfnNamedQuery
	// DatabaseName, TableName and WorkGroupName as deployed.
	DatabaseName, TableName, WorkGroupName string
}

var (
	glueName      = regexp.MustCompile(`^[a-z0-9_]{1,255}$`)
	workGroupName = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,128}$`)
)

// NewAnalytics creates the pipeline. Invalid props panic with a message that names the
// prop: the CDK app validates the settings they come from first.
func NewAnalytics(scope constructs.Construct, id string, props *AnalyticsProps) *Analytics {
	p := withDefaults(scope, *props)
	if err := p.validate(); err != nil {
		panic(err.Error())
	}
	qs, err := queries.All(queries.Params{Table: p.TableName, Prices: p.Prices, Quotas: p.Quotas, UserLimits: p.UserLimits})
	if err != nil {
		panic(err.Error())
	}
	a := &Analytics{
		Construct:    constructs.NewConstruct(scope, jsii.String(id)),
		DatabaseName: DatabaseNameFor(p.Name), TableName: p.TableName, WorkGroupName: p.Name + "-analytics",
	}
	a.buckets(p)
	a.glue(p)
	a.firehose(p, a.transform(p))
	a.subscription(p)
	a.athena(p, qs)
	return a
}

func withDefaults(scope constructs.Construct, p AnalyticsProps) AnalyticsProps {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&p.RetentionDays, DefaultRetentionDays)
	def(&p.ResultsRetentionDays, DefaultResultsRetentionDays)
	def(&p.BufferSeconds, DefaultBufferSeconds)
	def(&p.BufferMB, DefaultBufferMB)
	def(&p.QueryLimitGB, DefaultQueryLimitGB)
	if p.TableName == "" {
		p.TableName = DefaultTableName
	}
	if p.Name == "" {
		p.Name = *awscdk.Stack_Of(scope).StackName()
	}
	return p
}

// DatabaseNameFor derives the Glue database name from a deployment name: lower case,
// every other character an underscore, plus "_analytics".
func DatabaseNameFor(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String() + "_analytics"
}

func (p AnalyticsProps) validate() error {
	switch {
	case p.MetricsLogGroup == nil:
		return fmt.Errorf("analytics: MetricsLogGroup is required (the monitoring stack's metrics log group)")
	case p.TransformCode == nil:
		return fmt.Errorf("analytics: TransformCode is required (build it with lambdabuild)")
	case p.RetentionDays < 1:
		return fmt.Errorf("analytics: RetentionDays %d: keep data at least one day", p.RetentionDays)
	case p.BufferSeconds < 60 || p.BufferSeconds > 900:
		return fmt.Errorf("analytics: BufferSeconds %d: Firehose with Parquet conversion accepts 60 to 900", p.BufferSeconds)
	case p.BufferMB < 64 || p.BufferMB > 128:
		return fmt.Errorf("analytics: BufferMB %d: Firehose with Parquet conversion accepts 64 to 128", p.BufferMB)
	case p.QueryLimitGB < 1:
		return fmt.Errorf("analytics: QueryLimitGB %d: allow at least 1 GB per query", p.QueryLimitGB)
	case !workGroupName.MatchString(p.Name + "-analytics"):
		return fmt.Errorf("analytics: name %q: use letters, digits, '.', '_' and '-' (it names the Athena workgroup)", p.Name)
	case !glueName.MatchString(p.TableName):
		return fmt.Errorf("analytics: table name %q: use lower-case letters, digits and underscores", p.TableName)
	}
	return nil
}
