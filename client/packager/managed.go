package packager

import (
	"fmt"
	"maps"

	"ccwb.dev/client/install"
	"ccwb.dev/client/internal/otelheaders"
	"ccwb.dev/client/internal/profile"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/signin"
)

// ManagedSettingsFile is the file name Claude Code reads managed (policy) settings from; an
// administrator copies it into the system directory of each OS (docs/platform/mdm.md):
// /Library/Application Support/ClaudeCode/ on macOS, /etc/claude-code/ on Linux and WSL,
// C:\Program Files\ClaudeCode\ on Windows (https://code.claude.com/docs/en/managed-settings).
const ManagedSettingsFile = "managed-settings.json"

// MDM targets: the folders under mdm/ of a package, one managed-settings.json each, because
// the helper's command differs between the shells Claude Code runs it with.
const (
	MDMUnix    = "macos-linux"
	MDMWindows = "windows"
)

// userCommand is a binary of the per-user install folder in a managed settings file, which
// serves every user of the machine, spelled for the shell of target. Claude Code runs an
// otelHeadersHelper that is not the path of a file, and every awsAuthRefresh, through a shell
// (sh on macOS and Linux, cmd.exe on Windows), which expands $HOME and %USERPROFILE%; the
// quotes keep a home folder with spaces in one word.
func userCommand(target, name string) string {
	if target == MDMWindows {
		return `"%USERPROFILE%\` + profile.ConfigDirName + `\` + name + `.exe"`
	}
	return `"$HOME/` + profile.ConfigDirName + `/` + name + `"`
}

// Managed returns the managed settings of a package for one MDM target: the Bedrock and
// telemetry keys of Settings, which managed settings hold above user and project settings,
// plus what a project could otherwise add beside them: the per-signal OTLP endpoints (which
// take precedence over OTEL_EXPORTER_OTLP_ENDPOINT) pinned to the collector, and Node's
// certificate checks pinned on.
func (c Claude) Managed(name string, p config.Profile, otelHelper bool, target string) install.ClaudeSettings {
	s := c.Settings(name, p, otelHelper)
	s.Env = maps.Clone(s.Env)
	s.AWSAuthRefresh = userCommand(target, install.CredentialProcessName) + " --profile " + name + " " + signin.RefreshFlag
	if p.OTelEndpoint == "" {
		return s
	}
	grpc := c.protocol() == "grpc"
	for _, sig := range otelheaders.SignalEndpoints {
		url := p.OTelEndpoint // gRPC uses the endpoint as it is
		if !grpc {
			url = otelheaders.SignalURL(p.OTelEndpoint, sig.Path)
		}
		s.Env[sig.Env] = url
	}
	s.Env[otelheaders.EnvInsecureTLS] = "1"
	if otelHelper {
		s.OtelHeadersHelper = userCommand(target, install.OtelHelperName)
	}
	return s
}

// ManagedSettings is the managed-settings.json of one MDM target (MDMUnix, MDMWindows).
func ManagedSettings(c Claude, name string, p config.Profile, otelHelper bool, target string) ([]byte, error) {
	data, err := install.MergeClaudeSettings(nil, c.Managed(name, p, otelHelper, target))
	if err != nil {
		return nil, fmt.Errorf("package: managed settings for %s: %w", target, err)
	}
	return data, nil
}

// managedFiles renders mdm/<target>/managed-settings.json for each target.
func managedFiles(c Claude, name string, p config.Profile, otelHelper bool) ([]file, error) {
	var out []file
	for _, target := range []string{MDMUnix, MDMWindows} {
		data, err := ManagedSettings(c, name, p, otelHelper, target)
		if err != nil {
			return nil, err
		}
		out = append(out, file{"mdm/" + target + "/" + ManagedSettingsFile, data, 0o644})
	}
	return out, nil
}
