package packager

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/contract/config"
)

// The managed settings pin every Bedrock and telemetry key of the per-user settings, and the
// per-signal OTLP endpoints a project could otherwise add beside them, to the collector.
func TestManagedSettings(t *testing.T) {
	prof := exampleConfig(t).Profiles["ClaudeCode"]
	const collector = "https://otel.claude.example.com"
	if prof.OTelEndpoint != collector {
		t.Fatalf("example endpoint %q", prof.OTelEndpoint)
	}
	user := exampleClaude.Settings("ClaudeCode", prof, true)
	for _, tc := range []struct {
		target, helper string
	}{
		{MDMUnix, `"$HOME/claude-code-with-bedrock/otel-helper"`},
		{MDMWindows, `"%USERPROFILE%\claude-code-with-bedrock\otel-helper.exe"`},
	} {
		t.Run(tc.target, func(t *testing.T) {
			m := exampleClaude.Managed("ClaudeCode", prof, true, tc.target)
			want := maps.Clone(user.Env)
			maps.Copy(want, map[string]string{
				"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": collector + "/v1/metrics",
				"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT":    collector + "/v1/logs",
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":  collector + "/v1/traces",
				"NODE_TLS_REJECT_UNAUTHORIZED":        "1",
			})
			if !maps.Equal(m.Env, want) {
				t.Errorf("env:\n got %v\nwant %v", m.Env, want)
			}
			if m.OtelHeadersHelper != tc.helper {
				t.Errorf("otelHeadersHelper = %s, want %s", m.OtelHeadersHelper, tc.helper)
			}
		})
	}
	if user.Env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] != "" || user.OtelHeadersHelper != "otel-helper" {
		t.Errorf("Managed changed the per-user settings: %+v", user)
	}

	grpc := exampleClaude
	grpc.OTLPProtocol = "grpc"
	if m := grpc.Managed("ClaudeCode", prof, true, MDMUnix); m.Env["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] != collector {
		t.Errorf("gRPC: logs endpoint %q, want the collector as it is", m.Env["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"])
	}
	noMonitoring := prof
	noMonitoring.OTelEndpoint = ""
	if m := exampleClaude.Managed("ClaudeCode", noMonitoring, true, MDMUnix); m.OtelHeadersHelper != "" || m.Env["OTEL_EXPORTER_OTLP_ENDPOINT"] != "" || m.Env["CLAUDE_CODE_USE_BEDROCK"] != "1" {
		t.Errorf("without monitoring: %+v; want the Bedrock keys only", m)
	}
}

// Claude Code runs an otelHeadersHelper that names no file through sh: the managed command
// finds each user's installed helper, also in a home folder with a space in its name.
func TestManagedHelperCommandRunsThroughTheShell(t *testing.T) {
	sh := lookTool(t, "sh")
	home := filepath.Join(t.TempDir(), "Jane Doe")
	helper := filepath.Join(home, "claude-code-with-bedrock", "otel-helper")
	writeFile(t, helper, "#!/bin/sh\necho '{\"x-ran\":\"yes\"}'\n")
	if err := os.Chmod(helper, 0o755); err != nil {
		t.Fatal(err)
	}
	m := exampleClaude.Managed("ClaudeCode", config.Profile{OTelEndpoint: "https://otel.example.com", Region: "us-east-1"}, true, MDMUnix)
	if _, err := os.Stat(m.OtelHeadersHelper); err == nil {
		t.Fatalf("the command %s names a file: Claude Code would run it without a shell", m.OtelHeadersHelper)
	}
	cmd := exec.Command(sh, "-c", m.OtelHeadersHelper)
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
	out, err := cmd.Output()
	var headers map[string]string
	if err != nil || json.Unmarshal(out, &headers) != nil || headers["x-ran"] != "yes" {
		t.Fatalf("sh -c %s: %q, %v", m.OtelHeadersHelper, out, err)
	}
	if strings.Contains(m.OtelHeadersHelper, home) {
		t.Error("the command names one user's home")
	}
}

// The sign-in through Claude Code: the settings defer the credential process's sign-in to
// awsAuthRefresh, which runs the installed credential process with --refresh-if-needed.
func TestSettingsSignInThroughAWSAuthRefresh(t *testing.T) {
	prof := exampleConfig(t).Profiles["ClaudeCode"]
	user := exampleClaude.Settings("ClaudeCode", prof, true)
	if user.Env["CCWB_SIGN_IN"] != "defer" || user.AWSAuthRefresh != "credential-process --profile ClaudeCode --refresh-if-needed" {
		t.Errorf("per-user settings: env %v, awsAuthRefresh %q", user.Env, user.AWSAuthRefresh)
	}
	for target, want := range map[string]string{
		MDMUnix:    `"$HOME/claude-code-with-bedrock/credential-process" --profile ClaudeCode --refresh-if-needed`,
		MDMWindows: `"%USERPROFILE%\claude-code-with-bedrock\credential-process.exe" --profile ClaudeCode --refresh-if-needed`,
	} {
		if m := exampleClaude.Managed("ClaudeCode", prof, true, target); m.AWSAuthRefresh != want || m.Env["CCWB_SIGN_IN"] != "defer" {
			t.Errorf("%s: awsAuthRefresh %s, want %s", target, m.AWSAuthRefresh, want)
		}
	}
}
