package cdktest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

func TestMain(m *testing.M) { Main(m) }

// One synthesis: a queue that breaks AwsSolutions rules (no DLQ, no TLS enforcement) in
// one stack, a resource no rule concerns in the other.
func TestHarness(t *testing.T) {
	asm := Synth(t, func(app awscdk.App) {
		bad := awscdk.NewStack(app, jsii.String("Bad"), nil)
		awssqs.NewQueue(bad, jsii.String("Queue"), nil)
		awscdk.NewCfnWaitConditionHandle(awscdk.NewStack(app, jsii.String("Clean"), nil), jsii.String("Handle"), nil)
	})
	if got := strings.Join(asm.Stacks(), ","); got != "Bad,Clean" {
		t.Fatalf("Stacks() = %s", got)
	}
	findings := asm.Findings("Bad")
	var ids []string
	for _, f := range findings {
		ids = append(ids, strings.SplitN(f.Message, ":", 2)[0])
	}
	if !strings.Contains(strings.Join(ids, " "), "AwsSolutions-SQS3") || !strings.Contains(strings.Join(ids, " "), "AwsSolutions-SQS4") {
		t.Errorf("findings of a queue without DLQ and TLS = %v, want AwsSolutions-SQS3 and -SQS4", ids)
	}
	asm.RequireNoNagFindings(t, "Clean")

	Check(t, func() { asm.Template(t, "Bad").ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(1)) })
	if n := len(asm.Resources(t, "Bad", "AWS::SQS::Queue")); n != 1 {
		t.Errorf("Resources(AWS::SQS::Queue) = %d, want 1", n)
	}

	// A failed assertion panics inside jsii; Check must turn it into a test failure.
	if failsCheck(func() { asm.Template(t, "Bad").ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(2)) }) == "" {
		t.Error("Check did not report a failed assertion")
	}

	CfnLint(t, asm.Dir)
}

// failsCheck runs Check on a recorder and returns the failure message, "" if it passed.
func failsCheck(fn func()) string {
	rec := &recorder{}
	func() {
		defer func() {
			if r := recover(); r != nil && r != errFatal {
				panic(r)
			}
		}()
		Check(rec, fn)
	}()
	return rec.msg
}

func TestCfnLintFindsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := `{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Properties":{"VisibilityTimeout":"soon"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "Bad.template.json"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	func() {
		defer func() {
			if r := recover(); r != nil && r != errFatal {
				panic(r)
			}
		}()
		CfnLint(rec, dir)
	}()
	if !strings.Contains(rec.msg, "E3012:'soon' is not of type 'integer'") {
		t.Errorf("CfnLint on an invalid template reported %q, want the E3012 type error", rec.msg)
	}
}
