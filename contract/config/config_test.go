package config

import (
	"strings"
	"testing"
)

const valid = `{"profiles": {"ClaudeCode": {
  "provider_type": "okta", "issuer": "https://dev-1.okta.com/oauth2/default", "client_id": "0oa1",
  "federation_type": "direct", "role_arn": "arn:aws:iam::123456789012:role/Bedrock",
  "aws_region": "us-east-1", "session_duration_seconds": 28800, "credential_storage": "keyring"}}}`

func TestParse(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{"valid", valid, ""},
		{"unknown field", strings.Replace(valid, `"client_id"`, `"colour": "red", "client_id"`, 1), `unknown field "colour"`},
		{"trailing data", valid + `{}`, "trailing data"},
		{"a stray closing brace", valid + `}`, "trailing data"},
		{"not JSON", `{"profiles":`, "parse config"},
		{"no profiles", `{"profiles": {}}`, "no profile defined"},
		{"http issuer", strings.Replace(valid, "https://dev-1", "http://dev-1", 1), `issuer: "http://dev-1.okta.com/oauth2/default" is not an https URL`},
		{"cognito without pool", strings.Replace(valid, `"direct"`, `"cognito"`, 1), "identity_pool_id: missing"},
		{"duration too long", strings.Replace(valid, "28800", "90000", 1), "session_duration_seconds: 90000 is outside 900..43200"},
		{"cognito session over 8 h", strings.NewReplacer(`"direct"`, `"cognito", "identity_pool_id": "us-east-1:1"`, "28800", "36000").Replace(valid), "session_duration_seconds: 36000 is outside 900..28800"},
		{"bad storage", strings.Replace(valid, `"keyring"`, `"disk"`, 1), `credential_storage: "disk"`},
		{"bad default", strings.Replace(valid, `{"profiles"`, `{"default_profile": "x", "profiles"`, 1), `default_profile: "x" is not among the profiles`},
		{"https collector", withField(`"otel_endpoint": "https://otel.example.com"`), ""},
		{"http collector of a test deployment", withField(`"otel_endpoint": "http://otel.example.com:4318", "otel_allow_plain_http": true`), ""},
		{"http collector", withField(`"otel_endpoint": "http://otel.example.com"`), `otel_endpoint: "http://otel.example.com" is plain http`},
		{"collector not a URL", withField(`"otel_endpoint": "otel.example.com"`), "is not an absolute http(s) URL"},
		{"collector with a query", withField(`"otel_endpoint": "https://otel.example.com/?x=1"`), "has user info, a query or a fragment"},
		{"collector with user info", withField(`"otel_endpoint": "https://u:p@otel.example.com"`), "has user info, a query or a fragment"},
		{"telemetry audience", withField(`"telemetry_audience": "api://ccwb-telemetry", "telemetry_scope": "api://ccwb-telemetry/Send"`), ""},
		{"telemetry audience is the client", withField(`"telemetry_audience": "0oa1"`), `telemetry_audience: "0oa1" is the client ID`},
		{"telemetry scope alone", withField(`"telemetry_scope": "x"`), "telemetry_scope: set without telemetry_audience"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.json))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Parse: %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// withField adds JSON fields to the valid profile.
func withField(fields string) string {
	return strings.Replace(valid, `"credential_storage"`, fields+`, "credential_storage"`, 1)
}

func TestProfileSelection(t *testing.T) {
	f, err := Parse(strings.NewReader(valid))
	if err != nil {
		t.Fatal(err)
	}
	if name, p, err := f.Profile(""); err != nil || name != "ClaudeCode" || p.Port() != DefaultCallbackPort {
		t.Errorf("only profile: %q %v %d", name, err, p.Port())
	}
	if _, _, err := f.Profile("nope"); err == nil || !strings.Contains(err.Error(), "known profiles: ClaudeCode") {
		t.Errorf("unknown profile: %v", err)
	}
}

// Whatever config.json holds, Parse returns a validated file or an error, never a panic,
// and what it accepts survives a round trip.
func FuzzParse(f *testing.F) {
	f.Add(valid)
	f.Add(`{"profiles": {"a": {}}}`)
	f.Add(`{"default_profile": "a", "profiles": null}`)
	f.Fuzz(func(t *testing.T, s string) {
		file, err := Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		if err := file.Validate(); err != nil {
			t.Fatalf("accepted an invalid config: %v", err)
		}
		b, err := file.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(strings.NewReader(string(b))); err != nil {
			t.Fatalf("round trip of %q failed: %v", s, err)
		}
	})
}

const validIdentityCenter = `{"profiles": {"ClaudeCode": {
  "provider_type": "identity-center", "login": "device",
  "identity_center": {"start_url": "https://d-1234567890.awsapps.com/start", "region": "eu-west-1", "account_id": "123456789012", "role_name": "ClaudeCodeBedrock"},
  "aws_region": "us-east-1", "session_duration_seconds": 28800, "credential_storage": "keyring"}}}`

func TestParseIdentityCenterAndLogin(t *testing.T) {
	for _, tt := range []struct{ name, json, wantErr string }{
		{"identity center", validIdentityCenter, ""},
		{"login browser", strings.Replace(valid, `"credential_storage"`, `"login": "browser", "credential_storage"`, 1), ""},
		{"unknown login", strings.Replace(valid, `"credential_storage"`, `"login": "sms", "credential_storage"`, 1), `login: "sms" is not a login method; use one of browser, device, auto`},
		{"device on cognito", strings.Replace(strings.Replace(valid, `"okta"`, `"cognito"`, 1), `"credential_storage"`, `"login": "device", "credential_storage"`, 1), "Cognito user pools have no device authorization grant"},
		{"no identity_center", strings.Replace(validIdentityCenter, `"identity_center"`, `"x_identity_center"`, 1), `unknown field`},
		{"missing identity_center", `{"profiles": {"p": {"provider_type": "identity-center", "aws_region": "us-east-1", "session_duration_seconds": 3600, "credential_storage": "session"}}}`, "identity_center: missing"},
		{"bad account", strings.Replace(validIdentityCenter, `"123456789012"`, `"1234"`, 1), `identity_center.account_id: "1234" is not a 12-digit AWS account ID`},
		{"account with a letter", strings.Replace(validIdentityCenter, `"123456789012"`, `"12345678901a"`, 1), `identity_center.account_id: "12345678901a" is not a 12-digit AWS account ID`},
		{"http portal", strings.Replace(validIdentityCenter, "https://d-", "http://d-", 1), "identity_center.start_url"},
		{"OIDC fields mixed in", strings.Replace(validIdentityCenter, `"login"`, `"issuer": "https://x", "login"`, 1), "issuer: set for an identity-center profile"},
		{"session under an hour", strings.Replace(validIdentityCenter, "28800", "900", 1), "outside 3600..43200"},
		{"identity_center on an OIDC profile", strings.Replace(valid, `"credential_storage"`, `"identity_center": {"start_url": "https://x", "region": "r", "account_id": "123456789012", "role_name": "r"}, "credential_storage"`, 1), "belongs to identity-center profiles only"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.json))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Parse: %v, want %q", err, tt.wantErr)
			}
		})
	}
}
