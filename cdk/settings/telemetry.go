package settings

import (
	"strings"

	"ccwb.dev/contract/provider"
)

// Telemetry is what the collector checks a bearer token against: the audience (the telemetry
// audience, or else the client ID of the ID tokens) and the claim that names the user.
func (d *Deployment) Telemetry() (audience, subjectClaim string) {
	idp := d.IdentityProvider
	if idp.TelemetryAudience == "" {
		return idp.ClientID, "sub"
	}
	t, issuer, err := d.Provider()
	if err != nil {
		return idp.TelemetryAudience, "sub" // Validate reports the provider
	}
	q, err := provider.TelemetryFor(t, issuer, idp.TelemetryAudience, idp.TelemetryScope)
	if err != nil {
		return idp.TelemetryAudience, "sub" // Validate reports it
	}
	return idp.TelemetryAudience, q.SubjectClaim
}

func (d *Deployment) validateTelemetry(v *validator) {
	idp := d.IdentityProvider
	const aud, scope = "identity_provider.telemetry_audience", "identity_provider.telemetry_scope"
	if idp.TelemetryAudience == "" {
		if idp.TelemetryScope != "" {
			v.add(scope, "set without telemetry_audience; give the audience of the token that scope asks for, or remove it")
		}
		return
	}
	switch {
	case !d.Monitoring.Enabled:
		v.add(aud, "set while monitoring is off; the telemetry token is only for the collector: turn monitoring on, or remove it")
	case idp.TelemetryAudience == idp.ClientID:
		v.add(aud, "%q is the client ID, whose tokens STS accepts for the Bedrock role; give the audience of a separate API at the identity provider", idp.TelemetryAudience)
	case clientIDBad.MatchString(idp.TelemetryAudience):
		v.add(aud, "%q holds spaces, quotes or angle brackets; give the audience exactly as the access token's aud carries it", idp.TelemetryAudience)
	}
	if strings.ContainsAny(idp.TelemetryScope, " \t\"'") {
		v.add(scope, "%q is not one scope; give a single scope name, without spaces or quotes", idp.TelemetryScope)
	}
	if t, issuer, err := d.Provider(); err == nil {
		if _, err := provider.TelemetryFor(t, issuer, idp.TelemetryAudience, idp.TelemetryScope); err != nil {
			v.add(aud, "%s", err)
		}
	}
}
