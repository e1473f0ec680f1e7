package main

import (
	"ccwb.dev/cdk/settings"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// deployment holds the stacks of one deployment, so that a stack can use the ones
// composed before it.
type deployment struct {
	settings   *settings.Deployment
	auth       *authStack
	monitoring *monitoringStack // nil unless monitoring.enabled
	analytics  *analyticsStack  // nil unless analytics.enabled
	// Each stack adds its field here.
}

// composeStacks adds every stack of one deployment to the app, in dependency order: one
// line a stack, each stack in its own file (auth_stack.go, monitoring_stack.go, ...).
func composeStacks(app awscdk.App, d *settings.Deployment) *deployment {
	dep := &deployment{settings: d}
	dep.auth = newAuthStack(app, dep)
	dep.monitoring = newMonitoringStack(app, dep)
	dep.analytics = newAnalyticsStack(app, dep)
	return dep
}
