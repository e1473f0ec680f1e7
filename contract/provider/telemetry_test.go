package provider

import (
	"strings"
	"testing"
)

func TestTelemetryFor(t *testing.T) {
	const api = "5b0a3f9e-2c1d-4e8f-9a7b-6c5d4e3f2a1b"
	for _, tc := range []struct {
		typ                       Type
		issuer, audience, scope   string
		wantClaim, wantParam, err string
	}{
		{Okta, "https://dev-1.okta.com/oauth2/aus1", "api://ccwb-telemetry", "", "uid", "", ""},
		{Okta, "https://dev-1.okta.com", "api://ccwb-telemetry", "", "", "", "org authorization server"},
		{Azure, "https://login.microsoftonline.com/t/v2.0", api, "api://ccwb-telemetry/Telemetry.Send", "oid", "", ""},
		{Azure, "https://login.microsoftonline.com/t/v2.0", api, "", "", "", "set telemetry_scope"},
		{Azure, "https://login.microsoftonline.com/t/v2.0", "api://ccwb-telemetry", "api://ccwb-telemetry/x", "", "", "a GUID"},
		{Auth0, "https://acme.us.auth0.com/", "https://telemetry.example.com", "", "sub", "https://telemetry.example.com", ""},
		{Cognito, "https://cognito-idp.us-east-1.amazonaws.com/p", "x", "", "", "", "carry no aud claim"},
		{Google, "https://accounts.google.com", "x", "", "", "", "only for Google's own APIs"},
		{Generic, "https://idp.example.com", "telemetry", "telemetry.send", "sub", "", ""},
		{Generic, "https://idp.example.com", " ", "", "", "", "no telemetry audience"},
	} {
		t.Run(string(tc.typ)+" "+tc.audience, func(t *testing.T) {
			got, err := TelemetryFor(tc.typ, tc.issuer, tc.audience, tc.scope)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got.SubjectClaim != tc.wantClaim || got.AuthParams["audience"] != tc.wantParam {
				t.Fatalf("TelemetryFor = %+v, %v; want claim %q, audience param %q", got, err, tc.wantClaim, tc.wantParam)
			}
		})
	}
}
