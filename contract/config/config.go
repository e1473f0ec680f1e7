// Package config is the end-user configuration (config.json) that `ccwb package` writes
// from the deployment settings and the stack outputs, and that the credential process and
// the otel-helper read. One file holds one or more named profiles.
package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/strictjson"
)

// FileName is the end-user configuration's file name: in a package, in the install directory
// beside the binaries, and in ~/claude-code-with-bedrock/.
const FileName = "config.json"

// Credential storage kinds.
const (
	StorageKeyring = "keyring" // the OS keyring (Keychain, Secret Service, Credential Manager)
	StorageSession = "session" // 0600 files in a 0700 directory
)

// DefaultCallbackPort is the loopback port of the login callback when a profile sets none.
const DefaultCallbackPort = 8400

// File is the whole config.json.
type File struct {
	// DefaultProfile is used when --profile is not given and there are several profiles.
	DefaultProfile string `json:"default_profile,omitempty"`
	// Profiles by name; the name is also the AWS CLI profile name.
	Profiles map[string]Profile `json:"profiles"`
}

// Profile is everything the end-user binaries need for one deployment.
type Profile struct {
	ProviderType string `json:"provider_type"` // okta, azure, auth0, cognito, google, generic
	Issuer       string `json:"issuer"`        // the issuer URL exactly as in the ID token's iss
	ClientID     string `json:"client_id"`     // the public OAuth2 client (no secret)
	// ClientSecret is only for providers that insist on one for installed apps (Google);
	// it is not confidential there. Empty for every other provider.
	ClientSecret   string `json:"client_secret,omitempty"`
	FederationType string `json:"federation_type"` // direct or cognito
	// RoleARN is the role to assume: the Bedrock role (direct) or the identity pool's
	// authenticated role (cognito).
	RoleARN        string `json:"role_arn"`
	IdentityPoolID string `json:"identity_pool_id,omitempty"` // cognito only
	Region         string `json:"aws_region"`                 // STS / Cognito Identity region
	// SessionDurationSeconds is the lifetime asked for the AWS session.
	SessionDurationSeconds int    `json:"session_duration_seconds"`
	CredentialStorage      string `json:"credential_storage"` // keyring or session
	CallbackPort           int    `json:"callback_port,omitempty"`
	// OTelEndpoint is the collector ingest endpoint, when monitoring is deployed: the only
	// OTLP endpoint the otel-helper gives its bearer token for.
	OTelEndpoint string `json:"otel_endpoint,omitempty"`
	// OTelAllowPlainHTTP lets an http:// OTelEndpoint carry the bearer token (the
	// deployment's monitoring.allow_plain_http, for test deployments); without it the
	// otel-helper sends headers to https only.
	OTelAllowPlainHTTP bool `json:"otel_allow_plain_http,omitempty"`
	// TelemetryAudience, when set, is the aud of the access token the otel-helper sends
	// instead of the ID token: an audience STS does not accept for the Bedrock role, so a
	// leaked telemetry token yields no AWS credentials.
	TelemetryAudience string `json:"telemetry_audience,omitempty"`
	// TelemetryScope is asked for at login beside the OIDC scopes to get that access token
	// (Entra ID: api://<app>/<scope>; Okta: a scope of the authorization server); "" when the
	// identity provider needs none.
	TelemetryScope string `json:"telemetry_scope,omitempty"`
	// Upgrade, when set, is where the once-a-day upgrade notice looks (upgrade.go).
	Upgrade *Upgrade `json:"upgrade,omitempty"`
	// Login is how the user signs in: browser, device or auto (default auto); see
	// contract/signin.
	Login string `json:"login,omitempty"`
	// IdentityCenter is set for provider_type identity-center, which has no issuer, client
	// or role ARN of its own (identitycenter.go).
	IdentityCenter *IdentityCenter `json:"identity_center,omitempty"`
	// QuotaURL is the quota check service (POST with the ID token before each federation),
	// when the deployment has quotas; QuotaFailMode is what to do when it cannot be reached:
	// "open" (federate anyway; the default) or "closed" (refuse). See quota.go.
	QuotaURL      string `json:"quota_url,omitempty"`
	QuotaFailMode string `json:"quota_fail_mode,omitempty"`
}

// Parse reads a config file, rejecting unknown fields, and validates every profile.
func Parse(r io.Reader) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	var f File
	if err := strictjson.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse config: %w", err)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Marshal writes the file as indented JSON with sorted keys.
func (f *File) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Validate checks the file and returns every problem found, one a line.
func (f *File) Validate() error {
	var problems []string
	if len(f.Profiles) == 0 {
		problems = append(problems, "profiles: no profile defined; re-run `ccwb package`")
	}
	if f.DefaultProfile != "" {
		if _, ok := f.Profiles[f.DefaultProfile]; !ok {
			problems = append(problems, fmt.Sprintf("default_profile: %q is not among the profiles (%s)", f.DefaultProfile, strings.Join(f.Names(), ", ")))
		}
	}
	for _, name := range f.Names() {
		for _, p := range f.Profiles[name].problems() {
			problems = append(problems, fmt.Sprintf("profiles.%s.%s", name, p))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid config:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

func (p Profile) problems() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if p.ProviderType == "" {
		add("provider_type: missing")
	}
	out = append(out, p.loginProblems()...)
	if p.ProviderType == string(provider.IdentityCenter) {
		return append(out, p.identityCenterProblems()...)
	}
	if p.IdentityCenter != nil {
		add("identity_center: set for provider_type %q; it belongs to identity-center profiles only", p.ProviderType)
	}
	if !strings.HasPrefix(p.Issuer, "https://") {
		add("issuer: %q is not an https URL", p.Issuer)
	}
	if p.ClientID == "" {
		add("client_id: missing")
	}
	switch p.FederationType {
	case federation.Direct:
	case federation.Cognito:
		if p.IdentityPoolID == "" {
			add("identity_pool_id: missing (needed for cognito federation)")
		}
	default:
		add("federation_type: %q is neither %q nor %q", p.FederationType, federation.Direct, federation.Cognito)
	}
	if !strings.HasPrefix(p.RoleARN, "arn:aws") || !strings.Contains(p.RoleARN, ":role/") {
		add("role_arn: %q is not an IAM role ARN", p.RoleARN)
	}
	out = append(out, p.sessionProblems(900, "")...)
	if p.CallbackPort < 0 || p.CallbackPort > 65535 {
		add("callback_port: %d is not a TCP port", p.CallbackPort)
	}
	out = append(out, p.telemetryProblems()...)
	out = append(out, p.quotaProblems()...)
	out = append(out, p.Upgrade.problems()...)
	return out
}

// sessionProblems checks what every profile has: the Region, the session's length (at
// least minSeconds; why explains a larger minimum) and where the session is kept.
func (p Profile) sessionProblems(minSeconds int, why string) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if p.Region == "" {
		add("aws_region: missing")
	}
	if maxSeconds := int(federation.MaxSessionDuration(p.FederationType).Seconds()); p.SessionDurationSeconds < minSeconds || p.SessionDurationSeconds > maxSeconds {
		add("session_duration_seconds: %d is outside %d..%d%s", p.SessionDurationSeconds, minSeconds, maxSeconds, why)
	}
	switch p.CredentialStorage {
	case StorageKeyring, StorageSession:
	default:
		add("credential_storage: %q is neither %q nor %q", p.CredentialStorage, StorageKeyring, StorageSession)
	}
	return out
}

// telemetryProblems checks the monitoring fields: the endpoint is an absolute http(s) URL
// with nothing but scheme, host, port and path, plain http only where the deployment allowed
// it, and a telemetry audience that is not the client ID (STS would accept that token).
func (p Profile) telemetryProblems() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if p.OTelEndpoint != "" {
		u, err := url.Parse(p.OTelEndpoint)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			add("otel_endpoint: %q is not an absolute http(s) URL", p.OTelEndpoint)
		case u.User != nil || u.RawQuery != "" || u.Fragment != "":
			add("otel_endpoint: %q has user info, a query or a fragment; give scheme, host, port and path only", p.OTelEndpoint)
		case u.Scheme == "http" && !p.OTelAllowPlainHTTP:
			add("otel_endpoint: %q is plain http, which would expose each user's bearer token; use the https endpoint, or package a test deployment with monitoring.allow_plain_http (otel_allow_plain_http)", p.OTelEndpoint)
		}
	}
	if p.TelemetryAudience != "" && p.TelemetryAudience == p.ClientID {
		add("telemetry_audience: %q is the client ID, whose tokens STS accepts for the Bedrock role; give the audience of a separate API", p.TelemetryAudience)
	}
	if p.TelemetryScope != "" && p.TelemetryAudience == "" {
		add("telemetry_scope: set without telemetry_audience; give both or neither")
	}
	return out
}

// Names returns the profile names, sorted.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Profile returns the named profile; with name "" it returns the default profile, or the
// only one.
func (f *File) Profile(name string) (string, Profile, error) {
	if name == "" {
		name = f.DefaultProfile
	}
	if name == "" {
		if len(f.Profiles) != 1 {
			return "", Profile{}, fmt.Errorf("config has %d profiles (%s): choose one with --profile", len(f.Profiles), strings.Join(f.Names(), ", "))
		}
		name = f.Names()[0]
	}
	p, ok := f.Profiles[name]
	if !ok {
		return "", Profile{}, fmt.Errorf("profile %q not found in config; known profiles: %s", name, strings.Join(f.Names(), ", "))
	}
	return name, p, nil
}

// Port returns the callback port, DefaultCallbackPort when unset.
func (p Profile) Port() int {
	if p.CallbackPort == 0 {
		return DefaultCallbackPort
	}
	return p.CallbackPort
}
