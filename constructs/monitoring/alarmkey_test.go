package monitoring

import (
	"testing"

	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cdktest/iamsim"
)

// checkAlarmKey: the alarm topic is encrypted with the stack's own key, rotation on, and
// the key policy, evaluated by iam-simulate, lets CloudWatch alarms of this account and
// Region do exactly what publishing needs, and nothing else anyone else.
func checkAlarmKey(t *testing.T, asm *cdktest.Assembly, stack string) {
	const account, region = "123456789012", "eu-west-1"
	keys := asm.Resources(t, stack, "AWS::KMS::Key")
	if len(keys) != 1 {
		t.Fatalf("%d KMS keys, want the alarm key", len(keys))
	}
	var keyID string
	var key map[string]any
	for id, k := range keys {
		keyID, key = id, k["Properties"].(map[string]any)
	}
	if key["EnableKeyRotation"] != true {
		t.Errorf("alarm key rotation = %v, want true", key["EnableKeyRotation"])
	}
	topic := one(t, asm, stack, "AWS::SNS::Topic")
	if got := cdktest.Render(topic["KmsMasterKeyId"]); got != "GETATT("+keyID+".Arn)" {
		t.Errorf("alarm topic key = %s, want the alarm key %s", got, keyID)
	}
	policy, err := iamsim.Resolve(key["KeyPolicy"], iamsim.Env{Partition: "aws", Region: region, Account: account})
	if err != nil {
		t.Fatal(err)
	}
	keyARN := "arn:aws:kms:" + region + ":" + account + ":key/0a1b2c3d-0000-4000-8000-000000000000"
	alarmARN := "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + stack + "-UnhealthyTasks-ABC123"
	req := func(principal, action, sourceAccount, sourceARN string) iamsim.Request {
		ctx := map[string]any{}
		if sourceAccount != "" {
			ctx["aws:SourceAccount"], ctx["aws:SourceArn"] = sourceAccount, sourceARN
		}
		return iamsim.Request{Principal: principal, Action: action, Resource: keyARN, ResourceAccount: account, Context: ctx}
	}
	const cw = "cloudwatch.amazonaws.com"
	otherAlarm := "arn:aws:cloudwatch:" + region + ":210987654321:alarm:theirs"
	decisions := []struct {
		name  string
		req   iamsim.Request
		allow bool
	}{
		{"CloudWatch generates a data key for an alarm of this account", req(cw, "kms:GenerateDataKey", account, alarmARN), true},
		{"CloudWatch decrypts for an alarm of this account", req(cw, "kms:Decrypt", account, alarmARN), true},
		{"CloudWatch for another account's alarm", req(cw, "kms:GenerateDataKey", "210987654321", otherAlarm), false},
		{"CloudWatch for an alarm in another Region", req(cw, "kms:Decrypt", account, "arn:aws:cloudwatch:us-east-1:"+account+":alarm:x"), false},
		{"CloudWatch without a source", req(cw, "kms:Decrypt", "", ""), false},
		{"CloudWatch encrypts", req(cw, "kms:Encrypt", account, alarmARN), false},
		{"CloudWatch creates a grant", req(cw, "kms:CreateGrant", account, alarmARN), false},
		{"CloudWatch schedules deletion", req(cw, "kms:ScheduleKeyDeletion", account, alarmARN), false},
		{"EventBridge generates a data key", req("events.amazonaws.com", "kms:GenerateDataKey", account, alarmARN), false},
		{"a role of the account without an IAM grant decrypts", req("arn:aws:iam::"+account+":role/someone", "kms:Decrypt", "", ""), false},
		{"another account's role decrypts", req("arn:aws:iam::210987654321:role/someone", "kms:Decrypt", "", ""), false},
	}
	cases := make([]iamsim.Case, len(decisions))
	for i, d := range decisions {
		cases[i] = iamsim.Case{Name: d.name, Resource: policy, Request: d.req}
	}
	for i, r := range iamsim.Evaluate(t, cases) {
		if got := r.Decision == iamsim.Allowed; got != decisions[i].allow {
			t.Errorf("%s: %s: key policy says %s, want allowed=%v", stack, decisions[i].name, r, decisions[i].allow)
		}
	}
}
