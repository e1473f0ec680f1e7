package provider

import (
	"strings"
	"testing"
)

func TestIssuerURL(t *testing.T) {
	const tenant = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	tests := []struct {
		typ    Type
		domain string
		want   string
		err    string
	}{
		{Okta, "dev-123456.okta.com", "https://dev-123456.okta.com", ""},
		{Okta, "https://dev-123456.okta.com/", "https://dev-123456.okta.com", ""},
		{Okta, "dev-123456.okta.com/oauth2/default", "https://dev-123456.okta.com/oauth2/default", ""},
		{Okta, "dev-123456.okta.com/admin", "", "only a custom authorization server path"},
		{Okta, "not a host", "", "malformed"},
		{Azure, tenant, "https://login.microsoftonline.com/" + tenant + "/v2.0", ""},
		{Azure, "https://login.microsoftonline.com/" + tenant + "/v2.0", "https://login.microsoftonline.com/" + tenant + "/v2.0", ""},
		{Azure, "login.microsoftonline.com/common/v2.0", "", "multi-tenant"},
		{Azure, "contoso.onmicrosoft.com", "", "a GUID"},
		{Auth0, "acme.us.auth0.com", "https://acme.us.auth0.com/", ""},
		{Auth0, "https://acme.us.auth0.com/", "https://acme.us.auth0.com/", ""},
		{Cognito, "eu-west-1_AbC123xyz", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz", ""},
		{Cognito, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Q1w2E3", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Q1w2E3", ""},
		{Cognito, "cognito-idp.us-east-1.amazonaws.com/eu-west-1_Q1w2E3", "", "another region"},
		{Cognito, "myapp.auth.us-east-1.amazoncognito.com", "", "user pool ID"},
		{Google, "accounts.google.com", "https://accounts.google.com", ""},
		{Google, "google.com", "", "accounts.google.com"},
		{Generic, "https://idp.example.com/realms/dev", "https://idp.example.com/realms/dev", ""},
		{Generic, "idp.example.com", "", "https:// URL"},
		{Generic, "https://idp.example.com/?x=1", "", "malformed"},
		{Okta, "http://dev-1.okta.com", "", "https"},
		{Okta, "", "", "empty"},
		{Type("ping"), "x.example.com", "", "unknown provider type"},
	}
	for _, tt := range tests {
		got, err := IssuerURL(tt.typ, tt.domain)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("IssuerURL(%s, %q) = %q, %v; want error containing %q", tt.typ, tt.domain, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("IssuerURL(%s, %q) = %q, %v; want %q", tt.typ, tt.domain, got, err, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		domain string
		want   Type
	}{
		{"dev-123456.okta.com", Okta},
		{"acme.oktapreview.com/oauth2/default", Okta},
		{"3f2504e0-4f89-11d3-9a0c-0305e82c3301", Azure},
		{"https://login.microsoftonline.com/3f2504e0-4f89-11d3-9a0c-0305e82c3301/v2.0", Azure},
		{"acme.eu.auth0.com", Auth0},
		{"us-east-1_AbC123", Cognito},
		{"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123", Cognito},
		{"accounts.google.com", Google},
		{"https://keycloak.example.com/realms/dev", Generic},
	}
	for _, tt := range tests {
		if got, err := Detect(tt.domain); err != nil || got != tt.want {
			t.Errorf("Detect(%q) = %q, %v; want %q", tt.domain, got, err, tt.want)
		}
	}
	if _, err := Detect("idp.example.com"); err == nil || !strings.Contains(err.Error(), "https:// URL") {
		t.Errorf("Detect(unknown host) error = %v; want advice to give an https URL", err)
	}
}

func TestHostPathAndQuirks(t *testing.T) {
	if got := HostPath("https://acme.us.auth0.com/"); got != "acme.us.auth0.com" {
		t.Errorf("HostPath = %q", got)
	}
	if got := HostPath("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X"); got != "cognito-idp.us-east-1.amazonaws.com/us-east-1_X" {
		t.Errorf("HostPath = %q", got)
	}
	for _, s := range QuirksFor(Cognito).Scopes {
		if s == "offline_access" {
			t.Error("cognito rejects offline_access; it must not be asked")
		}
	}
	if QuirksFor(Google).AuthParams["access_type"] != "offline" {
		t.Error("google needs access_type=offline for a refresh token")
	}
}

func FuzzIssuerURL(f *testing.F) {
	f.Add("dev-1.okta.com/oauth2/default")
	f.Add("us-east-1_abc")
	f.Fuzz(func(t *testing.T, domain string) {
		for _, typ := range Types {
			iss, err := IssuerURL(typ, domain)
			if err == nil && !strings.HasPrefix(iss, "https://") {
				t.Fatalf("IssuerURL(%s, %q) = %q: not https", typ, domain, iss)
			}
		}
		_, _ = Detect(domain)
	})
}
