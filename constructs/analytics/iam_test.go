package analytics

import (
	"reflect"
	"strings"
	"testing"

	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cdktest/iamsim"
)

// The physical names the analytics stack's policies are resolved with.
const (
	iamAccount   = "123456789012"
	iamRegion    = "eu-west-1"
	bucketARN    = "arn:aws:s3:::dev-analytics-data"
	functionARN  = "arn:aws:lambda:" + iamRegion + ":" + iamAccount + ":function:dev-transform"
	streamARN    = "arn:aws:firehose:" + iamRegion + ":" + iamAccount + ":deliverystream/dev-stream"
	logsARN      = "arn:aws:logs:" + iamRegion + ":" + iamAccount + ":log-group:"
	deliveryLogs = "dev-delivery-logs"
	errorsStream = "DeliveryErrors"
)

// logicalIDOf is the one resource of a type whose logical ID starts with prefix.
func logicalIDOf(t *testing.T, asm *cdktest.Assembly, stack, typ, prefix string) string {
	t.Helper()
	var ids []string
	for id := range asm.Resources(t, stack, typ) {
		if strings.HasPrefix(id, prefix) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%s resources named %s*: %v, want one", typ, prefix, ids)
	}
	return ids[0]
}

// rolePolicies are the identity policy documents attached to a role, resolved.
func rolePolicies(t *testing.T, asm *cdktest.Assembly, stack, role string, env iamsim.Env) []any {
	t.Helper()
	var docs []any
	for _, pol := range asm.Resources(t, stack, "AWS::IAM::Policy") {
		roles, _ := prop(pol, "Roles").([]any)
		if !slicesContainsRef(roles, role) {
			continue
		}
		doc, err := iamsim.Resolve(prop(pol, "PolicyDocument"), env)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		t.Fatalf("no policy attached to %s", role)
	}
	return docs
}

func slicesContainsRef(list []any, id string) bool {
	for _, v := range list {
		if reflect.DeepEqual(v, map[string]any{"Ref": id}) {
			return true
		}
	}
	return false
}

// checkRoles: each role of the pipeline, evaluated by iam-simulate, may do its job on its own
// resources and nothing else (least privilege, whatever grants or statements produce it).
func checkRoles(t *testing.T, asm *cdktest.Assembly, s string) {
	id := func(typ, prefix string) string { return logicalIDOf(t, asm, s, typ, prefix) }
	transformLogs := logsARN + "/aws/lambda/dev-transform"
	env := iamsim.Env{Partition: "aws", Region: iamRegion, Account: iamAccount,
		Attrs: map[string]string{
			id("AWS::S3::Bucket", "AnalyticsData") + ".Arn":                          bucketARN,
			id("AWS::Lambda::Function", "AnalyticsTransform") + ".Arn":               functionARN,
			id("AWS::KinesisFirehose::DeliveryStream", "AnalyticsDelivery") + ".Arn": streamARN,
			id("AWS::Logs::LogGroup", "AnalyticsTransformLogs") + ".Arn":             transformLogs + ":*",
		},
		Refs: map[string]string{
			id("AWS::Logs::LogGroup", "AnalyticsDeliveryLogs"):    deliveryLogs,
			id("AWS::Logs::LogStream", "AnalyticsDeliveryErrors"): errorsStream,
		},
	}
	type decision struct {
		action, resource string
		allow            bool
	}
	otherStream := "arn:aws:firehose:" + iamRegion + ":" + iamAccount + ":deliverystream/other"
	table := "arn:aws:glue:" + iamRegion + ":" + iamAccount + ":table/" + "dev_analytics/"
	roles := map[string][]decision{
		"AnalyticsTransformRole": {
			{"logs:CreateLogStream", transformLogs + ":log-stream:2026/12/01/[$LATEST]abc", true},
			{"logs:PutLogEvents", transformLogs + ":log-stream:2026/12/01/[$LATEST]abc", true},
			{"logs:PutLogEvents", logsARN + "/aws/lambda/other:log-stream:x", false},
			{"logs:DeleteLogGroup", transformLogs, false},
			{"firehose:PutRecordBatch", streamARN, true},
			{"firehose:PutRecordBatch", otherStream, false},
			{"firehose:DeleteDeliveryStream", streamARN, false},
		},
		"AnalyticsDeliveryRole": {
			{"s3:PutObject", bucketARN + "/data/year=2026/month=12/day=01/hour=10/x.parquet", true},
			{"s3:GetObject", bucketARN + "/data/x.parquet", true},
			{"s3:AbortMultipartUpload", bucketARN + "/data/x.parquet", true},
			{"s3:ListBucket", bucketARN, true},
			{"s3:GetBucketLocation", bucketARN, true},
			{"s3:ListBucketMultipartUploads", bucketARN, true},
			{"s3:DeleteObject", bucketARN + "/data/x.parquet", false},
			{"s3:PutBucketPolicy", bucketARN, false},
			{"s3:PutObject", "arn:aws:s3:::someone-elses-bucket/x", false},
			{"lambda:InvokeFunction", functionARN, true},
			{"lambda:GetFunctionConfiguration", functionARN, true},
			{"lambda:InvokeFunction", "arn:aws:lambda:" + iamRegion + ":" + iamAccount + ":function:other", false},
			{"lambda:UpdateFunctionCode", functionARN, false},
			{"glue:GetTable", table + DefaultTableName, true},
			{"glue:GetTableVersions", table + DefaultTableName, true},
			{"glue:GetTable", table + "other", false},
			{"glue:DeleteTable", table + DefaultTableName, false},
			{"logs:PutLogEvents", logsARN + deliveryLogs + ":log-stream:" + errorsStream, true},
			{"logs:PutLogEvents", logsARN + deliveryLogs + ":log-stream:other", false},
			{"firehose:PutRecordBatch", streamARN, false},
		},
		"AnalyticsSubscriptionRole": {
			{"firehose:PutRecord", streamARN, true},
			{"firehose:PutRecordBatch", streamARN, true},
			{"firehose:PutRecordBatch", otherStream, false},
			{"firehose:UpdateDestination", streamARN, false},
			{"s3:PutObject", bucketARN + "/data/x.parquet", false},
		},
	}
	var cases []iamsim.Case
	var want []bool
	for prefix, ds := range roles {
		role := id("AWS::IAM::Role", prefix)
		docs := rolePolicies(t, asm, s, role, env)
		principal := "arn:aws:sts::" + iamAccount + ":assumed-role/" + role + "/session"
		for _, d := range ds {
			cases = append(cases, iamsim.Case{Name: prefix + " " + d.action + " " + d.resource, Identity: docs,
				Request: iamsim.Request{Principal: principal, Action: d.action, Resource: d.resource, ResourceAccount: iamAccount}})
			want = append(want, d.allow)
		}
	}
	for i, r := range iamsim.Evaluate(t, cases) {
		if got := r.Decision == iamsim.Allowed; got != want[i] {
			t.Errorf("%s: %s, want allowed=%v", cases[i].Name, r, want[i])
		}
	}
}
