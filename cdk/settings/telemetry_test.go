package settings

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateTelemetry(t *testing.T) {
	const tenant, api = "8a7b6c5d-1234-4abc-9def-0123456789ab", "5b0a3f9e-2c1d-4e8f-9a7b-6c5d4e3f2a1b"
	okta := func(d *Deployment) { d.IdentityProvider.Domain = "dev-123456.okta.com/oauth2/aus1" }
	for _, tc := range []struct {
		name   string
		change func(*Deployment)
		want   string // "" when valid
	}{
		{"okta custom authorization server", func(d *Deployment) { okta(d); d.IdentityProvider.TelemetryAudience = "api://ccwb-telemetry" }, ""},
		{"entra API", func(d *Deployment) {
			d.IdentityProvider = IdentityProvider{Domain: tenant, ClientID: "c0ffee00-0000-4000-8000-000000000000", TelemetryAudience: api, TelemetryScope: "api://ccwb-telemetry/Telemetry.Send"}
		}, ""},
		{"auth0 API", func(d *Deployment) {
			d.IdentityProvider = IdentityProvider{Domain: "acme.us.auth0.com", ClientID: "abc", TelemetryAudience: "https://telemetry.example.com"}
			d.Federation.Attribution = "tags" // Auth0 subjects are no session names
		}, ""},
		{"okta org authorization server", func(d *Deployment) { d.IdentityProvider.TelemetryAudience = "api://ccwb-telemetry" },
			"identity_provider.telemetry_audience: the Okta org authorization server (https://dev-123456.okta.com) mints access tokens only for Okta's own APIs"},
		{"entra without scope", func(d *Deployment) {
			d.IdentityProvider = IdentityProvider{Domain: tenant, ClientID: "c", TelemetryAudience: api}
		}, "identity_provider.telemetry_audience: Entra ID issues an access token for an API only when the sign-in asks for one of its scopes"},
		{"entra URI audience", func(d *Deployment) {
			d.IdentityProvider = IdentityProvider{Domain: tenant, ClientID: "c", TelemetryAudience: "api://ccwb-telemetry", TelemetryScope: "api://ccwb-telemetry/x"}
		}, "carry the API application's client ID (a GUID) as aud"},
		{"cognito", func(d *Deployment) {
			d.IdentityProvider = IdentityProvider{Domain: "us-east-1_AbC123", ClientID: "c", TelemetryAudience: "x"}
		}, "Cognito user pool access tokens carry no aud claim"},
		{"google", func(d *Deployment) {
			d.IdentityProvider = IdentityProvider{Domain: "accounts.google.com", ClientID: "c.apps.googleusercontent.com", ClientSecret: "s", TelemetryAudience: "x"}
		}, "Google issues access tokens only for Google's own APIs"},
		{"the client ID", func(d *Deployment) { okta(d); d.IdentityProvider.TelemetryAudience = d.IdentityProvider.ClientID },
			`identity_provider.telemetry_audience: "0oa1b2c3" is the client ID, whose tokens STS accepts for the Bedrock role`},
		{"monitoring off", func(d *Deployment) {
			okta(d)
			d.IdentityProvider.TelemetryAudience = "api://x"
			d.Monitoring.Enabled, d.Analytics.Enabled = false, false
		}, "identity_provider.telemetry_audience: set while monitoring is off"},
		{"scope alone", func(d *Deployment) { d.IdentityProvider.TelemetryScope = "x" },
			"identity_provider.telemetry_scope: set without telemetry_audience"},
		{"two scopes", func(d *Deployment) {
			okta(d)
			d.IdentityProvider.TelemetryAudience, d.IdentityProvider.TelemetryScope = "api://x", "a b"
		}, `identity_provider.telemetry_scope: "a b" is not one scope`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := valid()
			tc.change(d)
			err := d.Validate()
			var ve *ValidationError
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.want != "" && (!errors.As(err, &ve) || len(ve.Problems) != 1 || !strings.Contains(ve.Problems[0], tc.want)):
				t.Fatalf("Validate() = %v, want one problem saying %q", err, tc.want)
			}
		})
	}
}

// The collector checks the telemetry audience, with the claim that names the user at that
// provider, when one is set; the client ID and sub otherwise.
func TestTelemetryAudienceOfTheCollector(t *testing.T) {
	d := valid()
	if aud, claim := d.Telemetry(); aud != "0oa1b2c3" || claim != "sub" {
		t.Errorf("without a telemetry audience: %q, %q; want the client ID and sub", aud, claim)
	}
	d.IdentityProvider.Domain, d.IdentityProvider.TelemetryAudience = "dev-123456.okta.com/oauth2/aus1", "api://ccwb-telemetry"
	if aud, claim := d.Telemetry(); aud != "api://ccwb-telemetry" || claim != "uid" {
		t.Errorf("okta telemetry audience: %q, %q; want it, with uid (the user's Okta ID)", aud, claim)
	}
}
