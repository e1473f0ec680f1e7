package main

import (
	"ccwb.dev/constructs/monitoring"
	"ccwb.dev/contract/collector"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// monitoringStack is <name>-monitoring: the OpenTelemetry collector behind a load balancer,
// its dashboard and alarms. It exists when monitoring.enabled is set.
type monitoringStack struct {
	awscdk.Stack
	Monitoring *monitoring.Monitoring
}

func newMonitoringStack(app awscdk.App, dep *deployment) *monitoringStack {
	d := dep.settings
	if !d.Monitoring.Enabled {
		return nil
	}
	issuer := dep.issuer
	stack := newStack(app, d, stacks.Monitoring, "OpenTelemetry collector, dashboard and alarms for Claude Code")
	mo := d.Monitoring
	audience, subjectClaim := d.Telemetry()
	var dims []collector.GroupDimension
	for _, md := range mo.MetricDimensions {
		dims = append(dims, md.Collector())
	}
	m := monitoring.NewMonitoring(stack, "Monitoring", &monitoring.MonitoringProps{
		Issuer: issuer, Audience: audience, SubjectClaim: subjectClaim, Namespace: "ClaudeCode/" + d.Name,
		VPCID: mo.VPCID, SubnetIDs: mo.SubnetIDs,
		CertificateARN: mo.CertificateARN, DomainName: mo.DomainName, HostedZoneID: mo.HostedZoneID,
		MinTasks: mo.MinTasks, MaxTasks: mo.MaxTasks, Image: mo.CollectorImage,
		LogRetentionDays: mo.LogRetentionDays, AlarmEmail: mo.AlarmEmail, Dimensions: dims,
	})
	untagged(m.Construct, d.Tags)
	output(stack, outputs.OTelEndpoint, m.Endpoint, "OTLP/HTTP endpoint of the collector (OTEL_EXPORTER_OTLP_ENDPOINT)")
	output(stack, outputs.MetricsLogGroup, m.MetricsLogGroup.LogGroupName(), "log group of the collector's EMF metrics (the analytics stack subscribes to it)")
	output(stack, outputs.Dashboard, m.Dashboard.DashboardName(), "CloudWatch dashboard of Claude Code usage")
	return &monitoringStack{Stack: stack, Monitoring: m}
}

// untaggable are resource types CDK tags but the CloudFormation schema cfn-lint checks
// against (and so, possibly, the deploying region) does not accept Tags on.
var untaggable = []string{
	"AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ElasticLoadBalancingV2::Listener", "AWS::CloudWatch::Dashboard",
}

// untagged removes the deployment tags from the untaggable resources of scope.
func untagged(scope constructs.IConstruct, tags map[string]string) {
	for k := range tags {
		awscdk.Tags_Of(scope).Remove(jsii.String(k), &awscdk.TagProps{IncludeResourceTypes: jsii.Strings(untaggable...)})
	}
}
