package install

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccwb.dev/contract/config"
)

const configJSON = `{"profiles": {"ClaudeCode": {
  "provider_type": "okta", "issuer": "https://dev-1.okta.com", "client_id": "abc",
  "federation_type": "direct", "role_arn": "arn:aws:iam::123456789012:role/r",
  "aws_region": "us-east-1", "session_duration_seconds": 28800, "credential_storage": "session"}}}`

func setup(t *testing.T, claudeSettings string, withHelper bool) (dir string, paths Paths) {
	t.Helper()
	home := t.TempDir()
	dir = filepath.Join(home, "claude-code-with-bedrock")
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, config.FileName), []byte(configJSON), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, ClaudeSettingsFile), []byte(claudeSettings), 0o644))
	if withHelper {
		must(t, os.WriteFile(filepath.Join(dir, "otel-helper"), nil, 0o755))
	}
	paths = Paths{Home: home, AWSConfig: filepath.Join(home, ".aws", "config"), ClaudeSettings: filepath.Join(home, ".claude", "settings.json")}
	return dir, paths
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return string(b)
}

func TestInstallTwiceThenUninstall(t *testing.T) {
	dir, paths := setup(t, `{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "CLAUDE_CODE_ENABLE_TELEMETRY": "1"}, "otelHeadersHelper": "otel-helper"}`, true)
	must(t, os.MkdirAll(filepath.Dir(paths.AWSConfig), 0o700))
	userAWS := "[profile work]\nregion = eu-west-1\n"
	must(t, os.WriteFile(paths.AWSConfig, []byte(userAWS), 0o600))

	plan, err := NewPlan(dir, "linux", paths)
	must(t, err)
	if plan.Claude.OtelHeadersHelper != filepath.Join(dir, "otel-helper") {
		t.Fatalf("otelHeadersHelper = %q, want the installed binary", plan.Claude.OtelHeadersHelper)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var log bytes.Buffer
	must(t, Install(plan, now, &log))
	aws := read(t, paths.AWSConfig)
	if !strings.HasPrefix(aws, userAWS) || !strings.Contains(aws, "credential_process = "+dir+"/credential-process --profile ClaudeCode") {
		t.Fatalf("aws config:\n%s", aws)
	}
	if read(t, paths.AWSConfig+".ccwb-backup-20260102T030405Z") != userAWS {
		t.Error("no backup of the user's AWS config")
	}
	if st, _ := os.Stat(paths.AWSConfig); st.Mode().Perm() != 0o600 {
		t.Errorf("aws config mode %v, want the user's 0600 kept", st.Mode().Perm())
	}
	settings := read(t, paths.ClaudeSettings)

	// Second run: nothing changes, no new backup.
	log.Reset()
	must(t, Install(plan, now.Add(time.Hour), &log))
	if read(t, paths.AWSConfig) != aws || read(t, paths.ClaudeSettings) != settings {
		t.Fatal("second install changed the files")
	}
	if strings.Contains(log.String(), "backed up") {
		t.Fatalf("second install made a backup:\n%s", log.String())
	}

	// A new package without telemetry: the telemetry keys go away on re-install.
	must(t, os.WriteFile(filepath.Join(dir, ClaudeSettingsFile), []byte(`{"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}}`), 0o644))
	plan2, err := NewPlan(dir, "linux", paths)
	must(t, err)
	must(t, Install(plan2, now.Add(2*time.Hour), &log))
	if s := read(t, paths.ClaudeSettings); strings.Contains(s, "TELEMETRY") || strings.Contains(s, "otelHeadersHelper") {
		t.Fatalf("stale telemetry settings survived a re-install:\n%s", s)
	}

	must(t, Uninstall(dir, now.Add(3*time.Hour), &log))
	if got := read(t, paths.AWSConfig); got != userAWS {
		t.Fatalf("after uninstall aws config = %q, want the user's %q", got, userAWS)
	}
	if got := strings.TrimSpace(read(t, paths.ClaudeSettings)); got != "{}" {
		t.Fatalf("after uninstall settings = %s", got)
	}
	if err := Uninstall(dir, now, &log); err == nil || !strings.Contains(err.Error(), "nothing to uninstall") {
		t.Fatalf("second uninstall: %v", err)
	}
}

func TestNewPlanDropsAMissingOtelHelper(t *testing.T) {
	dir, paths := setup(t, `{"env": {"A": "1"}, "otelHeadersHelper": "otel-helper"}`, false)
	plan, err := NewPlan(dir, "windows", paths)
	must(t, err)
	if plan.Claude.OtelHeadersHelper != "" {
		t.Fatalf("otelHeadersHelper = %q for a package without the otel-helper", plan.Claude.OtelHeadersHelper)
	}
	if cp := plan.Profiles[0].Keys[0][1]; !strings.HasSuffix(cp, "credential-process.exe --profile ClaudeCode") {
		t.Fatalf("windows credential_process = %s", cp)
	}
}

func TestNewPlanRejectsABadPackage(t *testing.T) {
	dir, paths := setup(t, `{"envv": {}}`, false)
	if _, err := NewPlan(dir, "linux", paths); err == nil || !strings.Contains(err.Error(), ClaudeSettingsFile) {
		t.Fatalf("error = %v, want one naming %s", err, ClaudeSettingsFile)
	}
	must(t, os.WriteFile(filepath.Join(dir, config.FileName), []byte(`{"profiles": {}}`), 0o644))
	if _, err := NewPlan(dir, "linux", paths); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Fatalf("error = %v, want one naming config.json", err)
	}
}

func TestNewPlanRefusesAQuoteInTheInstallDirectory(t *testing.T) {
	dir, paths := setup(t, `{}`, false)
	quoted := filepath.Join(filepath.Dir(dir), `say "hi"`)
	must(t, os.Rename(dir, quoted))
	if _, err := NewPlan(quoted, "linux", paths); err == nil || !strings.Contains(err.Error(), "double quote") {
		t.Fatalf("NewPlan = %v, want an error about the double quote", err)
	}
}

func TestCredentialProcessQuotesOnlyWhenNeeded(t *testing.T) {
	for _, c := range []struct{ dir, goos, want string }{
		{"/home/jane/claude-code-with-bedrock", "linux", "/home/jane/claude-code-with-bedrock/credential-process --profile P"},
		{"/Users/Jane Doe/claude-code-with-bedrock", "darwin", `"/Users/Jane Doe/claude-code-with-bedrock/credential-process" --profile P`},
		// Backslashes stay single: the AWS CLI and the JS SDK read the quoted path as it is.
		{`C:\Users\Jane Doe\claude-code-with-bedrock`, "windows", `"C:\Users\Jane Doe\claude-code-with-bedrock\credential-process.exe" --profile P`},
		{`C:\Users\jane\claude-code-with-bedrock\`, "windows", `C:\Users\jane\claude-code-with-bedrock\credential-process.exe --profile P`},
	} {
		if got := CredentialProcess(c.dir, c.goos, "P"); got != c.want {
			t.Errorf("CredentialProcess(%q) = %s, want %s", c.dir, got, c.want)
		}
	}
}
