package analytics

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/analytics/queries"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/function/lambdabuild"
	"ccwb.dev/contract/schema"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

var testProps = AnalyticsProps{
	RetentionDays: 400, BufferSeconds: 120, BufferMB: 96, QueryLimitGB: 3,
	Prices: []queries.Price{{Match: "claude-sonnet-4", Input: 3, Output: 15, CacheRead: 0.3, CacheCreation: 3.75}},
	Quotas: queries.Quotas{MonthlyTokensPerUser: 5_000_000, TokensPerMinute: 100_000},
}

// prop digs a value out of a resource's Properties by path.
func prop(res map[string]any, path ...string) any {
	var v any = res["Properties"]
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func only(t *testing.T, res map[string]map[string]any) map[string]any {
	t.Helper()
	if len(res) != 1 {
		t.Fatalf("%d resources, want 1", len(res))
	}
	for _, r := range res {
		return r
	}
	return nil
}

func TestAnalyticsStack(t *testing.T) {
	code := t.TempDir()
	if err := lambdabuild.Build("ccwb.dev/lambda/metrics-transform", code); err != nil {
		t.Fatal(err)
	}
	asm := cdktest.Synth(t, func(app awscdk.App) {
		// The log group comes from another stack, as in the app (cdk.json keeps the
		// references strong).
		mon := awscdk.NewStack(app, jsii.String("Mon"), nil)
		lg := awslogs.NewLogGroup(mon, jsii.String("Metrics"), &awslogs.LogGroupProps{Retention: awslogs.RetentionDays_ONE_MONTH})
		stack := awscdk.NewStack(app, jsii.String("Dev-Analytics"), nil)
		p := testProps
		p.Name = "Dev"
		p.MetricsLogGroup = lg
		p.TransformCode = awslambda.Code_FromAsset(jsii.String(code), nil)
		NewAnalytics(stack, "Analytics", &p)
	})
	asm.RequireNoNagFindings(t)
	cdktest.CfnLint(t, asm.Dir)
	const s = "Dev-Analytics"

	t.Run("glue table follows the schema", func(t *testing.T) {
		table := only(t, asm.Resources(t, s, "AWS::Glue::Table"))
		var got, want [][2]string
		for _, c := range prop(table, "TableInput", "StorageDescriptor", "Columns").([]any) {
			m := c.(map[string]any)
			got = append(got, [2]string{m["Name"].(string), m["Type"].(string)})
		}
		for _, c := range schema.Columns() {
			want = append(want, [2]string{c.Name, string(c.Type)})
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Glue columns\n got %v\nwant %v", got, want)
		}
		var keys []string
		for _, k := range prop(table, "TableInput", "PartitionKeys").([]any) {
			keys = append(keys, k.(map[string]any)["Name"].(string))
		}
		if !reflect.DeepEqual(keys, schema.PartitionKeys) {
			t.Errorf("partition keys %v, want %v", keys, schema.PartitionKeys)
		}
		params := prop(table, "TableInput", "Parameters").(map[string]any)
		if params["projection.enabled"] != "true" || params["projection.month.digits"] != "2" || params["projection.hour.range"] != "0,23" {
			t.Errorf("partition projection parameters: %v", params)
		}
		if db := prop(only(t, asm.Resources(t, s, "AWS::Glue::Database")), "DatabaseInput", "Name"); db != "dev_analytics" {
			t.Errorf("database name %v", db)
		}
	})

	t.Run("firehose", func(t *testing.T) {
		fh := only(t, asm.Resources(t, s, "AWS::KinesisFirehose::DeliveryStream"))
		dest := func(path ...string) any {
			return prop(fh, append([]string{"ExtendedS3DestinationConfiguration"}, path...)...)
		}
		checks := map[string][2]any{
			"SSE":            {prop(fh, "DeliveryStreamEncryptionConfigurationInput", "KeyType"), "AWS_OWNED_CMK"},
			"prefix":         {dest("Prefix"), "metrics/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"},
			"error prefix":   {strings.HasPrefix(dest("ErrorOutputPrefix").(string), "errors/!{firehose:error-output-type}/"), true},
			"buffer seconds": {dest("BufferingHints", "IntervalInSeconds"), float64(120)},
			"buffer MB":      {dest("BufferingHints", "SizeInMBs"), float64(96)},
			"parquet":        {dest("DataFormatConversionConfiguration", "OutputFormatConfiguration", "Serializer", "ParquetSerDe", "Compression"), "SNAPPY"},
			"openx":          {dest("DataFormatConversionConfiguration", "InputFormatConfiguration", "Deserializer", "OpenXJsonSerDe") != nil, true},
			"schema table":   {dest("DataFormatConversionConfiguration", "SchemaConfiguration", "TableName"), DefaultTableName},
			"processor":      {dest("ProcessingConfiguration", "Processors").([]any)[0].(map[string]any)["Type"], "Lambda"},
		}
		for name, c := range checks {
			if !reflect.DeepEqual(c[0], c[1]) {
				t.Errorf("%s: %v, want %v", name, c[0], c[1])
			}
		}
	})

	t.Run("buckets", func(t *testing.T) {
		buckets := asm.Resources(t, s, "AWS::S3::Bucket")
		if len(buckets) != 3 {
			t.Fatalf("%d buckets, want data, results and access logs", len(buckets))
		}
		versioned := 0
		for id, b := range buckets {
			if prop(b, "BucketEncryption") == nil || prop(b, "PublicAccessBlockConfiguration", "RestrictPublicBuckets") != true {
				t.Errorf("bucket %s is not encrypted and private", id)
			}
			if prop(b, "VersioningConfiguration", "Status") == "Enabled" {
				versioned++
				rule := prop(b, "LifecycleConfiguration", "Rules").([]any)[0].(map[string]any)
				if rule["ExpirationInDays"] != float64(400) {
					t.Errorf("data bucket expiration %v, want the 400-day retention", rule["ExpirationInDays"])
				}
			}
		}
		if versioned != 1 {
			t.Errorf("%d versioned buckets, want the data bucket", versioned)
		}
		if n := len(asm.Resources(t, s, "AWS::S3::BucketPolicy")); n != 3 {
			t.Errorf("%d bucket policies (TLS only), want 3", n)
		}
	})

	t.Run("athena", func(t *testing.T) {
		wg := only(t, asm.Resources(t, s, "AWS::Athena::WorkGroup"))
		cfg := prop(wg, "WorkGroupConfiguration").(map[string]any)
		if cfg["EnforceWorkGroupConfiguration"] != true || cfg["BytesScannedCutoffPerQuery"] != float64(3<<30) {
			t.Errorf("workgroup configuration %v", cfg)
		}
		if prop(wg, "WorkGroupConfiguration", "ResultConfiguration", "EncryptionConfiguration", "EncryptionOption") != "SSE_S3" {
			t.Error("query results are not encrypted")
		}
		want, err := queries.All(queries.Params{Table: DefaultTableName, Prices: testProps.Prices, Quotas: testProps.Quotas})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, q := range asm.Resources(t, s, "AWS::Athena::NamedQuery") {
			got[prop(q, "Name").(string)] = prop(q, "QueryString").(string)
			if prop(q, "Database") != "dev_analytics" {
				t.Errorf("named query %v runs in database %v", prop(q, "Name"), prop(q, "Database"))
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d named queries, want %d", len(got), len(want))
		}
		for _, q := range want {
			if got[q.Name] != q.SQL {
				t.Errorf("named query %s is not the SQL the DuckDB test runs", q.Name)
			}
		}
	})

	t.Run("each role may do its job and nothing else", func(t *testing.T) { checkRoles(t, asm, s) })

	t.Run("transform and subscription", func(t *testing.T) {
		fn := only(t, asm.Resources(t, s, "AWS::Lambda::Function"))
		if prop(fn, "Runtime") != "provided.al2023" || prop(fn, "Handler") != "bootstrap" || !reflect.DeepEqual(prop(fn, "Architectures"), []any{"arm64"}) {
			t.Errorf("transform function: %v", fn["Properties"])
		}
		if m, _ := prop(fn, "MemorySize").(float64); m < 1769 {
			t.Errorf("transform function has %v MB: below 1769 MB Lambda gives it less than the one vCPU it is benchmarked on", prop(fn, "MemorySize"))
		}
		sub := only(t, asm.Resources(t, s, "AWS::Logs::SubscriptionFilter"))
		b, _ := json.Marshal(prop(sub, "LogGroupName"))
		if prop(sub, "FilterPattern") != "" || !strings.Contains(string(b), "Fn::ImportValue") {
			t.Errorf("subscription filter %v: want every event of the monitoring stack's log group", sub["Properties"])
		}
		// The transform may put records back into its own stream, and nothing else.
		var reingest bool
		for _, pol := range asm.Resources(t, s, "AWS::IAM::Policy") {
			b, _ := json.Marshal(pol)
			if strings.Contains(string(b), "firehose:PutRecordBatch") && strings.Contains(string(b), "TransformRole") {
				reingest = true
			}
		}
		if !reingest {
			t.Error("the transform role may not put records back into the stream")
		}
	})
}

func TestPropsValidation(t *testing.T) {
	lg := func(s awscdk.Stack) awslogs.ILogGroup {
		return awslogs.LogGroup_FromLogGroupName(s, jsii.String("LG"), jsii.String("metrics"))
	}
	for name, tc := range map[string]struct {
		mutate func(*AnalyticsProps)
		want   string
	}{
		"no log group":   {func(p *AnalyticsProps) { p.MetricsLogGroup = nil }, "MetricsLogGroup"},
		"no code":        {func(p *AnalyticsProps) { p.TransformCode = nil }, "TransformCode"},
		"small buffer":   {func(p *AnalyticsProps) { p.BufferMB = 32 }, "BufferMB 32"},
		"long interval":  {func(p *AnalyticsProps) { p.BufferSeconds = 1000 }, "BufferSeconds 1000"},
		"bad table name": {func(p *AnalyticsProps) { p.TableName = "Metrics-Table" }, "table name"},
		"bad price":      {func(p *AnalyticsProps) { p.Prices = []queries.Price{{Match: ""}} }, "match is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			var msg string
			func() {
				defer func() { msg, _ = recover().(string) }()
				stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("S"), nil)
				p := AnalyticsProps{MetricsLogGroup: lg(stack), TransformCode: awslambda.Code_FromInline(jsii.String("x"))}
				tc.mutate(&p)
				NewAnalytics(stack, "A", &p)
			}()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("panic %q, want it to name %q", msg, tc.want)
			}
		})
	}
}
