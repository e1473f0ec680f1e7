package packager

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"ccwb.dev/client/install"
	"ccwb.dev/client/internal/otelheaders"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/signin"
)

// Claude are the Claude Code settings that the end-user config does not hold.
type Claude struct {
	// Region is AWS_REGION: where Claude Code calls Bedrock (default: the profile's region).
	Region string
	// Model is ANTHROPIC_MODEL; SmallFastModel the model for background tasks
	// (ANTHROPIC_DEFAULT_HAIKU_MODEL, and ANTHROPIC_SMALL_FAST_MODEL for older Claude Code).
	Model, SmallFastModel string
	// OTLPProtocol is OTEL_EXPORTER_OTLP_PROTOCOL (default http/protobuf, what the
	// collector's load balancer serves).
	OTLPProtocol string
	// ResourceAttributes go into OTEL_RESOURCE_ATTRIBUTES, with ccwb.profile added.
	// Identity attributes do not belong here: the collector takes them from the
	// authenticated request and drops client-set ones.
	ResourceAttributes map[string]string
}

// DefaultOTLPProtocol is the OTLP transport Claude Code uses to reach the collector.
const DefaultOTLPProtocol = "http/protobuf"

// Settings returns the Claude Code settings of a package for the named profile.
// otelHeadersHelper is the bare command name; the installer resolves it in the install
// directory.
func (c Claude) Settings(name string, p config.Profile, otelHelper bool) install.ClaudeSettings {
	region := c.Region
	if region == "" {
		region = p.Region
	}
	env := map[string]string{
		install.EnvUseBedrock: "1",
		install.EnvAWSRegion:  region,
		install.EnvAWSProfile: name,
	}
	if c.Model != "" {
		env["ANTHROPIC_MODEL"] = c.Model
	}
	if c.SmallFastModel != "" {
		env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = c.SmallFastModel
		env["ANTHROPIC_SMALL_FAST_MODEL"] = c.SmallFastModel
	}
	// Claude Code runs credential_process without showing what it prints: the sign-in is
	// deferred to awsAuthRefresh, whose output it shows (docs/platform/claude-code.md).
	env[signin.EnvSignIn] = signin.Defer
	s := install.ClaudeSettings{Env: env, AWSAuthRefresh: signin.RefreshCommand(install.CredentialProcessName, name)}
	if p.OTelEndpoint == "" {
		return s
	}
	env["CLAUDE_CODE_ENABLE_TELEMETRY"] = "1"
	env["OTEL_METRICS_EXPORTER"] = "otlp"
	env["OTEL_EXPORTER_OTLP_PROTOCOL"] = c.protocol()
	env[otelheaders.EnvEndpoint] = p.OTelEndpoint
	attrs := maps.Clone(c.ResourceAttributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["ccwb.profile"] = name
	env["OTEL_RESOURCE_ATTRIBUTES"] = ResourceAttributes(attrs)
	if otelHelper {
		s.OtelHeadersHelper = install.OtelHelperName
	}
	return s
}

// protocol is the OTLP transport: OTLPProtocol, else DefaultOTLPProtocol.
func (c Claude) protocol() string {
	if c.OTLPProtocol == "" {
		return DefaultOTLPProtocol
	}
	return c.OTLPProtocol
}

// ResourceAttributes formats OTEL_RESOURCE_ATTRIBUTES: key=value pairs, comma-separated,
// sorted by key, values percent-encoded as the OpenTelemetry specification requires.
func ResourceAttributes(attrs map[string]string) string {
	parts := make([]string, 0, len(attrs))
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		parts = append(parts, k+"="+strings.ReplaceAll(url.QueryEscape(attrs[k]), "+", "%20"))
	}
	return strings.Join(parts, ",")
}

func claudeSettings(c Claude, name string, p config.Profile, otelHelper bool) ([]byte, error) {
	data, err := install.MergeClaudeSettings(nil, c.Settings(name, p, otelHelper))
	if err != nil {
		return nil, fmt.Errorf("package: Claude Code settings: %w", err)
	}
	return data, nil
}
