package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/cdk/internal/distribute/distributetest"
	"ccwb.dev/client/install"
)

// ccwb mdm writes every MDM file from the deployment, and Claude Desktop's settings name
// the AWS profile the installer writes into ~/.aws/config (whose credential_process is ours).
func TestMDMNamesTheInstallersProfile(t *testing.T) {
	project := distributionProject(t)
	pkg := distributetest.Package(t)
	out := filepath.Join(t.TempDir(), "mdm out")
	stdout, stderr, err := ccwb(t, "", "--project", project, "mdm", "--package", pkg, "--out", out)
	if err != nil {
		t.Fatalf("ccwb mdm: %v\n%s", err, stderr)
	}
	if strings.TrimSpace(stdout) != out {
		t.Errorf("stdout %q, want the output directory", stdout)
	}
	for _, f := range []string{
		"claude-code/macos-linux/managed-settings.json", "claude-code/windows/managed-settings.json",
		"claude-code/com.anthropic.claudecode.mobileconfig", "claude-code/ClaudeCode.reg",
		"claude-desktop/com.anthropic.claudefordesktop.mobileconfig", "claude-desktop/Claude.reg", "claude-desktop/claude-desktop.json",
		"scripts/install-macos.sh", "scripts/install-windows.ps1", "scripts/detect-windows.ps1",
	} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	raw, err := os.ReadFile(filepath.Join(out, "claude-desktop", "claude-desktop.json"))
	if err != nil {
		t.Fatal(err)
	}
	var desktop map[string]string
	if err := json.Unmarshal(raw, &desktop); err != nil {
		t.Fatal(err)
	}

	// The installer's plan for the same package: its AWS profiles.
	os.WriteFile(filepath.Join(pkg, install.ClaudeSettingsFile), []byte("{}"), 0o644)
	home := t.TempDir()
	plan, err := install.NewPlan(pkg, "darwin", install.Paths{Home: home, AWSConfig: filepath.Join(home, ".aws", "config"), ClaudeSettings: filepath.Join(home, ".claude", "settings.json")})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Profiles) != 1 || plan.Profiles[0].Name != desktop["inferenceBedrockProfile"] {
		t.Fatalf("Claude Desktop uses profile %q; the installer writes %v", desktop["inferenceBedrockProfile"], plan.Profiles)
	}
	if cp := plan.Profiles[0].Keys[0]; cp[0] != "credential_process" || !strings.Contains(cp[1], "credential-process --profile "+desktop["inferenceBedrockProfile"]) {
		t.Errorf("the installer's profile runs %v", cp)
	}
	// Its default output, dist/<profile>/mdm, is not taken for a package by the next run.
	dist := filepath.Join(project, "dist", "ClaudeCode")
	os.MkdirAll(dist, 0o755)
	os.Rename(pkg, filepath.Join(dist, filepath.Base(pkg)))
	for i := 0; i < 2; i++ {
		if _, stderr, err := ccwb(t, "", "--project", project, "mdm"); err != nil {
			t.Fatalf("ccwb mdm, run %d: %v\n%s", i+1, err, stderr)
		}
	}
	detect, _ := os.ReadFile(filepath.Join(out, "scripts", "detect-windows.ps1"))
	if !strings.Contains(string(detect), "'1.4.0'") {
		t.Errorf("the detection rule does not look for the package's version 1.4.0:\n%s", detect)
	}
}
