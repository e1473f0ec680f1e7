package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// TestAnalyticsStack synthesizes the committed example (monitoring and analytics on) and
// checks what the analytics stack takes from the settings and the monitoring stack.
func TestAnalyticsStack(t *testing.T) {
	example, err := settings.Load("../settings/example.json")
	if err != nil {
		t.Fatal(err)
	}
	example.Analytics.Quotas.TokensPerMinute = 424242
	example.Distribution.Enabled = false // its landing function is a second staged bootstrap
	example.Quota.Enabled = false        // its functions are staged assets too
	stack := example.StackName(stacks.Analytics)
	asm := cdktest.Synth(t, func(app awscdk.App) {
		if composeStacks(app, example).analytics == nil {
			t.Error("the example enables analytics but no analytics stack was composed")
		}
	})
	asm.RequireNoNagFindings(t, stack)
	tpl := asm.TemplateJSON(t, stack)

	outs, _ := tpl["Outputs"].(map[string]any)
	for _, name := range []string{outputs.AthenaWorkGroup, outputs.GlueDatabase, outputs.AnalyticsTable, outputs.AnalyticsBucket} {
		if _, ok := outs[name]; !ok {
			t.Errorf("output %s missing", name)
		}
	}
	// The subscription reads the monitoring stack's log group (a cross-stack import).
	for _, sub := range asm.Resources(t, stack, "AWS::Logs::SubscriptionFilter") {
		if got := cdktest.Render(sub["Properties"].(map[string]any)["LogGroupName"]); !strings.Contains(got, "Fn::ImportValue") && !strings.Contains(got, example.StackName(stacks.Monitoring)) {
			t.Errorf("subscription filter reads %s, want the monitoring stack's metrics log group", got)
		}
	}
	// Settings become SQL: the first price and the quota appear in the named queries.
	var sql strings.Builder
	for _, q := range asm.Resources(t, stack, "AWS::Athena::NamedQuery") {
		sql.WriteString(cdktest.Render(q["Properties"].(map[string]any)["QueryString"]))
	}
	for _, want := range []string{"'" + example.Bedrock.Prices[0].Match + "'", "424242E0 AS tokens_per_minute_limit"} {
		if !strings.Contains(sql.String(), want) {
			t.Errorf("named queries lack %s from the settings", want)
		}
	}
	// The transform's asset is a linux/arm64 bootstrap staged in the cloud assembly.
	assets, _ := filepath.Glob(filepath.Join(asm.Dir, "asset.*", "bootstrap"))
	if len(assets) != 1 {
		t.Fatalf("%d staged bootstrap assets, want 1", len(assets))
	}
	if b, err := os.ReadFile(assets[0]); err != nil || len(b) < 4 || string(b[1:4]) != "ELF" {
		t.Errorf("staged bootstrap is not an executable: %v", err)
	}
}
