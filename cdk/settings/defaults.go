package settings

import (
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/signin"
)

// Defaults: what a field means when the settings file leaves it out. docs/platform/settings.md
// lists them, and a test keeps the two in step.
const (
	DefaultProfileName      = "ClaudeCode"
	DefaultMinTasks         = 2
	DefaultMaxTasks         = 6
	DefaultLogRetentionDays = 30
	DefaultRetentionDays    = 365
	DefaultBufferSeconds    = 300
	DefaultBufferMB         = 128
	DefaultQueryLimitGB     = 10
)

// ApplyDefaults fills every empty optional field with its default. Bedrock.Regions
// defaults to the deployment region. It never overwrites a value that is set, so
// ApplyDefaults then Validate reports the user's own mistakes.
func (d *Deployment) ApplyDefaults() {
	if !d.UsesIdentityCenter() { // which has no federation of its own
		setString(&d.Federation.Type, federation.Direct)
		if d.Federation.Type == federation.Direct {
			setString(&d.Federation.Attribution, d.DefaultAttribution())
		}
	}
	setString(&d.Federation.SessionDuration, federation.DefaultSessionDuration.String())
	setString(&d.Client.Login, signin.Auto)
	if len(d.Bedrock.Regions) == 0 && d.Region != "" {
		d.Bedrock.Regions = []string{d.Region}
	}
	if d.Bedrock.AllowedModels == nil {
		d.Bedrock.AllowedModels = append([]string(nil), DefaultAllowedModels...)
	}
	if d.Bedrock.Prices == nil {
		d.Bedrock.Prices = append([]pricing.Price(nil), pricing.Defaults...)
		setString(&d.Bedrock.PricesAsOf, pricing.DefaultsAsOf)
	}
	setString(&d.Client.ProfileName, DefaultProfileName)
	setString(&d.Client.CredentialStorage, config.StorageKeyring)
	setInt(&d.Client.CallbackPort, config.DefaultCallbackPort)
	setInt(&d.Monitoring.MinTasks, DefaultMinTasks)
	setInt(&d.Monitoring.MaxTasks, max(DefaultMaxTasks, d.Monitoring.MinTasks))
	setInt(&d.Monitoring.LogRetentionDays, DefaultLogRetentionDays)
	setInt(&d.Analytics.RetentionDays, DefaultRetentionDays)
	setInt(&d.Analytics.BufferSeconds, DefaultBufferSeconds)
	setInt(&d.Analytics.BufferMB, DefaultBufferMB)
	setInt(&d.Analytics.QueryLimitGB, DefaultQueryLimitGB)
	d.Quota.applyDefaults()
	d.distributionDefaults()
}

func setString(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func setInt(p *int, v int) {
	if *p == 0 {
		*p = v
	}
}
