package settings

import "time"

// Defaults: what a field means when the settings file leaves it out. docs/platform/settings.md
// lists them, and a test keeps the two in step.
const (
	DefaultFederationType    = "direct"
	DefaultSessionDuration   = 8 * time.Hour
	DefaultProfileName       = "ClaudeCode"
	DefaultCredentialStorage = "keyring"
	DefaultCallbackPort      = 8400
	DefaultMinTasks          = 2
	DefaultMaxTasks          = 6
	DefaultLogRetentionDays  = 30
	DefaultRetentionDays     = 365
	DefaultBufferSeconds     = 300
	DefaultBufferMB          = 128
	DefaultQueryLimitGB      = 10
)

// ApplyDefaults fills every empty optional field with its default. Bedrock.Regions
// defaults to the deployment region. It never overwrites a value that is set, so
// ApplyDefaults then Validate reports the user's own mistakes.
func (d *Deployment) ApplyDefaults() {
	setString(&d.Federation.Type, DefaultFederationType)
	setString(&d.Federation.SessionDuration, DefaultSessionDuration.String())
	if d.Federation.Type == FederationDirect {
		setString(&d.Federation.Attribution, d.DefaultAttribution())
	}
	if len(d.Bedrock.Regions) == 0 && d.Region != "" {
		d.Bedrock.Regions = []string{d.Region}
	}
	if d.Bedrock.AllowedModels == nil {
		d.Bedrock.AllowedModels = append([]string(nil), DefaultAllowedModels...)
	}
	setString(&d.Client.ProfileName, DefaultProfileName)
	setString(&d.Client.CredentialStorage, DefaultCredentialStorage)
	setInt(&d.Client.CallbackPort, DefaultCallbackPort)
	setInt(&d.Monitoring.MinTasks, DefaultMinTasks)
	setInt(&d.Monitoring.MaxTasks, max(DefaultMaxTasks, d.Monitoring.MinTasks))
	setInt(&d.Monitoring.LogRetentionDays, DefaultLogRetentionDays)
	setInt(&d.Analytics.RetentionDays, DefaultRetentionDays)
	setInt(&d.Analytics.BufferSeconds, DefaultBufferSeconds)
	setInt(&d.Analytics.BufferMB, DefaultBufferMB)
	setInt(&d.Analytics.QueryLimitGB, DefaultQueryLimitGB)
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
