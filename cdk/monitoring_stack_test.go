package main

import (
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cost"
	"ccwb.dev/constructs/monitoring"
	"ccwb.dev/contract/outputs"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// TestMonitoringStack composes two deployments from the committed example: one with
// monitoring (and tags), one without; the stack exists only when enabled, wires the IdP into
// the collector and outputs the endpoint.
func TestMonitoringStack(t *testing.T) {
	on, err := settings.Load("../settings/example.json")
	if err != nil {
		t.Fatal(err)
	}
	on.Name, on.Analytics.Enabled, on.Quota.Enabled, on.Distribution.Enabled = "mon-on", false, false, false
	on.Monitoring.MetricDimensions = []settings.MetricDimension{{Attribute: "department", Values: []string{"engineering"}}}
	off := *on
	off.Name, off.Monitoring.Enabled = "mon-off", false
	asm := cdktest.Synth(t, func(app awscdk.App) {
		composeStacks(app, on)
		composeStacks(app, &off)
	})
	if got := strings.Join(asm.Stacks(), " "); got != "mon-off-auth mon-on-auth mon-on-monitoring" {
		t.Fatalf("stacks %s", got)
	}
	asm.RequireNoNagFindings(t, "mon-on-monitoring")
	if n := len(asm.Resources(t, "mon-on-monitoring", "AWS::CloudWatch::Alarm")); n != cost.MonitoringAlarms {
		t.Errorf("the monitoring stack has %d alarms; the cost model prices cost.MonitoringAlarms = %d", n, cost.MonitoringAlarms)
	}

	tmpl := asm.TemplateJSON(t, "mon-on-monitoring")
	out, ok := tmpl["Outputs"].(map[string]any)[outputs.OTelEndpoint].(map[string]any)
	if !ok {
		t.Fatalf("no %s output", outputs.OTelEndpoint)
	}
	if got, want := cdktest.Render(out["Value"]), "https://"+on.Monitoring.DomainName; got != want {
		t.Errorf("endpoint %s, want %s: the example serves ingest over HTTPS at its domain", got, want)
	}
	_, issuer, _ := on.Provider()
	_, task, err := only(asm.Resources(t, "mon-on-monitoring", "AWS::ECS::TaskDefinition"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := cdktest.Render(props(task)["ContainerDefinitions"].([]any)[0].(map[string]any)["Environment"].([]any)[0].(map[string]any)["Value"])
	for _, want := range []string{"issuer_url: " + issuer, "audience: " + on.IdentityProvider.ClientID, "namespace: ClaudeCode/mon-on",
		"regex: ^(?:engineering|unspecified)$"} { // the declared dimension reaches the collector
		if !strings.Contains(cfg, want) {
			t.Errorf("collector config lacks %q:\n%s", want, cfg)
		}
	}
	if !strings.Contains(cfg, "\n") || !strings.Contains(cdktest.Render(props(task)["ContainerDefinitions"].([]any)[0].(map[string]any)["Command"]), monitoring.ConfigEnv) {
		t.Errorf("the task does not read its config from %s", monitoring.ConfigEnv)
	}
	for _, typ := range untaggable {
		for id, r := range asm.Resources(t, "mon-on-monitoring", typ) {
			if _, tagged := props(r)["Tags"]; tagged {
				t.Errorf("%s (%s) carries Tags, which cfn-lint rejects", id, typ)
			}
		}
	}
	if _, bucket, err := only(asm.Resources(t, "mon-on-monitoring", "AWS::S3::Bucket")); err != nil || !strings.Contains(cdktest.Render(props(bucket)["Tags"]), "claude-code") {
		t.Errorf("deployment tags missing on taggable resources: %v %v", err, props(bucket)["Tags"])
	}
}
