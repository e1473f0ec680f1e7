package main

import (
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/provider"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// deployment holds the stacks of one deployment, so that a stack can use the ones
// composed before it.
type deployment struct {
	settings     *settings.Deployment
	provider     provider.Type // the IdP type, detected when the settings give none
	issuer       string        // the issuer URL, as in the ID token's iss claim
	auth         *authStack
	monitoring   *monitoringStack   // nil unless monitoring.enabled
	analytics    *analyticsStack    // nil unless analytics.enabled
	quota        *quotaStack        // nil unless quota.enabled
	distribution *distributionStack // nil unless distribution.enabled
	// Each stack adds its field here.
}

// composeStacks adds every stack of one deployment to the app, in dependency order: one
// line a stack, each stack in its own file (auth_stack.go, monitoring_stack.go, ...).
func composeStacks(app awscdk.App, d *settings.Deployment) *deployment {
	if d.UsesIdentityCenter() {
		dep := &deployment{settings: d, provider: provider.IdentityCenter}
		dep.auth = newIdentityCenterAuthStack(app, dep)
		dep.distribution = newDistributionStack(app, dep) // bucket only (settings refuse the rest)
		return dep                                        // monitoring, analytics and quotas need an OIDC issuer (settings refuse them)
	}
	typ, issuer, err := d.Provider()
	if err != nil {
		panic("settings passed validation but have no issuer: " + err.Error())
	}
	dep := &deployment{settings: d, provider: typ, issuer: issuer}
	dep.auth = newAuthStack(app, dep)
	dep.monitoring = newMonitoringStack(app, dep)
	dep.analytics = newAnalyticsStack(app, dep)
	dep.quota = newQuotaStack(app, dep)
	dep.distribution = newDistributionStack(app, dep)
	return dep
}
