package packager

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/testenv"
)

// The package's install.sh, run as a user would, sets up a profile through which the AWS
// CLI gets credentials from the INSTALLED credential-process (login at the in-process
// OpenID Provider through the scripted browser, federation at the fake STS); a second run
// changes nothing; --uninstall leaves the user's files as they were.
func TestInstallScriptEndToEnd(t *testing.T) {
	bins := needCompiled(t)
	awsCLI := testenv.AWSCLI(t)
	idp := idptest.NewProvider(t, idptest.Options{})
	fakeAWS := idptest.NewAWS(t, idptest.AWSOptions{Provider: idp})
	cfg := &config.File{Profiles: map[string]config.Profile{"ClaudeCode": {
		ProviderType: "generic", Issuer: idp.Issuer, ClientID: idp.ClientID,
		FederationType: federation.Direct, RoleARN: "arn:aws:iam::123456789012:role/BedrockUsers",
		Region: "us-east-1", SessionDurationSeconds: 3600, CredentialStorage: config.StorageSession,
		CallbackPort: idptest.FreePort(t), OTelEndpoint: "http://127.0.0.1:4318",
		OTelAllowPlainHTTP: true,
	}}}
	pkg, err := Assemble(bins, Options{Config: cfg, Claude: Claude{Region: "us-west-2", Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}, DistDir: t.TempDir(), Now: fixed})
	if err != nil {
		t.Fatal(err)
	}

	// A home with a space in its path whose ~/.aws/config is a link into a dotfiles
	// repository (stow, chezmoi, yadm): the install writes through the link.
	home := filepath.Join(t.TempDir(), "Jane Doe")
	dotAWS := filepath.Join(filepath.Dir(home), "dotfiles", "aws", "config")
	userAWS := "[default]\nregion = eu-west-1\n\n[profile work]\ncredential_process = /opt/other/tool --flag\nregion = eu-central-1\n"
	userClaude := `{"permissions": {"allow": ["Bash(git status)"]}, "env": {"EDITOR": "vim"}, "theme": "dark"}`
	awsConfig := filepath.Join(home, ".aws", "config")
	claudeSettings := filepath.Join(home, ".claude", "settings.json")
	writeFile(t, dotAWS, userAWS)
	os.MkdirAll(filepath.Dir(awsConfig), 0o700)
	if err := os.Symlink(dotAWS, awsConfig); err != nil {
		t.Fatal(err)
	}
	writeFile(t, claudeSettings, userClaude)
	keptLink := func(when string) {
		t.Helper()
		if st, err := os.Lstat(awsConfig); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s: ~/.aws/config is no longer the link into the dotfiles (%v)", when, err)
		}
	}

	env := append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"SSL_CERT_FILE=" + idp.CAFile,
		"AWS_ENDPOINT_URL_STS=" + fakeAWS.URL,
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "credentials"),
	}, idp.BrowserEnv(idptest.DefaultUser, idptest.BrowserLogin)...)
	sh := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("sh", append([]string{filepath.Join(pkg.Dir, "install.sh")}, args...)...)
		cmd.Env = env
		cmd.Dir = home // not the package directory: the script must find its files itself
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("install.sh %v: %v\n%s", args, err, out)
		}
		return string(out)
	}

	out := sh()
	installDir := filepath.Join(home, "claude-code-with-bedrock")
	for _, f := range []string{"credential-process", "ccwb-setup", "config.json", "claude-settings.json", "README.md", "installed.json"} {
		if _, err := os.Stat(filepath.Join(installDir, f)); err != nil {
			t.Errorf("not installed: %s (%v)\n%s", f, err, out)
		}
	}
	gotAWS := readFile(t, home, ".aws/config")
	wantAWS := userAWS + "\n[profile ClaudeCode]\ncredential_process = \"" + installDir + "/credential-process\" --profile ClaudeCode\nregion = us-east-1\n"
	keptLink("after install")
	if string(gotAWS) != wantAWS {
		t.Fatalf("~/.aws/config after install:\n%s\nwant\n%s", gotAWS, wantAWS)
	}
	var settings map[string]any
	if err := json.Unmarshal(readFile(t, home, ".claude/settings.json"), &settings); err != nil {
		t.Fatal(err)
	}
	env1, _ := settings["env"].(map[string]any)
	if settings["theme"] != "dark" || settings["permissions"] == nil || env1["EDITOR"] != "vim" {
		t.Errorf("the user's Claude Code settings did not survive: %v", settings)
	}
	if env1["CLAUDE_CODE_USE_BEDROCK"] != "1" || env1["AWS_PROFILE"] != "ClaudeCode" || env1["AWS_REGION"] != "us-west-2" {
		t.Errorf("Claude Code settings lack the Bedrock setup: %v", env1)
	}
	if backups, _ := filepath.Glob(claudeSettings + ".ccwb-backup-*"); len(backups) != 1 || string(readFile(t, "", backups[0])) != userClaude {
		t.Errorf("want one backup of settings.json holding the user's original, got %v", backups)
	}

	// Idempotent: a second run leaves both files byte for byte, with no new backup.
	beforeSettings := readFile(t, home, ".claude/settings.json")
	sh()
	if string(readFile(t, home, ".aws/config")) != wantAWS || string(readFile(t, home, ".claude/settings.json")) != string(beforeSettings) {
		t.Fatal("a second install changed the user's files")
	}
	keptLink("after a second install")
	if backups, _ := filepath.Glob(dotAWS + ".ccwb-backup-*"); len(backups) != 1 {
		t.Errorf("want exactly one AWS config backup after two installs, got %v", backups)
	}

	// The real consumer: the AWS CLI runs the installed credential-process.
	// --endpoint-url for the CLI's own call (older CLIs ignore AWS_ENDPOINT_URL_STS).
	cli := exec.Command(awsCLI, "sts", "get-caller-identity", "--profile", "ClaudeCode", "--output", "json", "--endpoint-url", fakeAWS.URL)
	cli.Env = env
	idOut, err := cli.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("aws sts get-caller-identity --profile ClaudeCode: %v\n%s", err, stderr)
	}
	var id struct{ Arn string }
	if err := json.Unmarshal(idOut, &id); err != nil {
		t.Fatalf("aws output %q: %v", idOut, err)
	}
	if id.Arn != "arn:aws:sts::123456789012:assumed-role/BedrockUsers/00u1a2b3c4" {
		t.Errorf("Arn = %q", id.Arn)
	}
	if idp.Logins.Load() != 1 || fakeAWS.Calls("AssumeRoleWithWebIdentity") != 1 {
		t.Errorf("logins %d, STS calls %d; want one each", idp.Logins.Load(), fakeAWS.Calls("AssumeRoleWithWebIdentity"))
	}

	// Claude Code's otelHeadersHelper: the installed otel-helper, run as Claude Code runs it
	// (no arguments, the settings' environment), prints the collector's Authorization
	// header from the session the AWS CLI call just cached: no second login.
	if slices.Contains(bins.Commands, "otel-helper") {
		helper, _ := settings["otelHeadersHelper"].(string)
		if helper != filepath.Join(installDir, "otel-helper") {
			t.Fatalf("otelHeadersHelper = %q, want the installed otel-helper", helper)
		}
		if env1["OTEL_EXPORTER_OTLP_ENDPOINT"] != "http://127.0.0.1:4318" || env1["CLAUDE_CODE_ENABLE_TELEMETRY"] != "1" {
			t.Errorf("telemetry settings: %v", env1)
		}
		cmd := exec.Command(helper)
		cmd.Env = env
		for k, v := range env1 { // Claude Code runs it with its settings' environment
			cmd.Env = append(cmd.Env, k+"="+fmt.Sprint(v))
		}
		out, err := cmd.Output()
		var headers map[string]string
		if err != nil || json.Unmarshal(out, &headers) != nil || !strings.HasPrefix(headers["Authorization"], "Bearer ") {
			t.Errorf("installed otel-helper printed %q (%v), want headers with a bearer token", out, err)
		}
		if idp.Logins.Load() != 1 {
			t.Errorf("the otel-helper signed in again (%d logins)", idp.Logins.Load())
		}

		// The machine-wide managed settings find the same installed helper through the shell
		// Claude Code runs it with, and their pinned endpoints pass the helper's check.
		var managed struct {
			Env               map[string]string `json:"env"`
			OtelHeadersHelper string            `json:"otelHeadersHelper"`
		}
		if err := json.Unmarshal(readFile(t, pkg.Dir, "mdm/macos-linux/managed-settings.json"), &managed); err != nil {
			t.Fatal(err)
		}
		mcmd := exec.Command("sh", "-c", managed.OtelHeadersHelper)
		mcmd.Env = env
		for k, v := range managed.Env {
			mcmd.Env = append(mcmd.Env, k+"="+v)
		}
		out, err = mcmd.Output()
		headers = nil
		if err != nil || json.Unmarshal(out, &headers) != nil || !strings.HasPrefix(headers["Authorization"], "Bearer ") {
			t.Errorf("managed otelHeadersHelper %s printed %q (%v), want headers with a bearer token", managed.OtelHeadersHelper, out, err)
		}
	}

	// Upgrade in place: the user changes a setting, then installs the next package; the
	// programs and VERSION are replaced, installed.json records the version, and the user's
	// settings stay.
	var mine map[string]any
	json.Unmarshal(readFile(t, home, ".claude/settings.json"), &mine)
	mine["model"] = "my-own-choice"
	mineJSON, _ := json.Marshal(mine)
	writeFile(t, claudeSettings, string(mineJSON))
	next := *bins
	next.Version = "1.1.0-test"
	pkg2, err := Assemble(&next, Options{Config: cfg, Claude: Claude{Region: "us-west-2"}, DistDir: t.TempDir(), Now: fixed})
	if err != nil {
		t.Fatal(err)
	}
	upgrade := exec.Command("sh", filepath.Join(pkg2.Dir, "install.sh"))
	upgrade.Env, upgrade.Dir = env, home
	if out, err := upgrade.CombinedOutput(); err != nil {
		t.Fatalf("install.sh of the next package: %v\n%s", err, out)
	}
	if v := string(readFile(t, installDir, "VERSION")); v != "1.1.0-test\n" {
		t.Errorf("installed VERSION %q after the upgrade", v)
	}
	var state struct{ Version string }
	json.Unmarshal(readFile(t, installDir, "installed.json"), &state)
	if state.Version != "1.1.0-test" {
		t.Errorf("installed.json records version %q", state.Version)
	}
	var upgraded map[string]any
	json.Unmarshal(readFile(t, home, ".claude/settings.json"), &upgraded)
	if upgraded["model"] != "my-own-choice" || upgraded["theme"] != "dark" {
		t.Errorf("the upgrade lost the user's settings: %v", upgraded)
	}
	keptLink("after the upgrade")

	// Uninstall: the install directory goes, the user's files are as before.
	sh("--uninstall")
	keptLink("after uninstall")
	if _, err := os.Stat(installDir); !os.IsNotExist(err) {
		t.Errorf("install directory still there after --uninstall (%v)", err)
	}
	if got := string(readFile(t, home, ".aws/config")); got != userAWS {
		t.Errorf("~/.aws/config after uninstall:\n%s\nwant the user's original:\n%s", got, userAWS)
	}
	var after, orig map[string]any
	json.Unmarshal(readFile(t, home, ".claude/settings.json"), &after)
	json.Unmarshal([]byte(userClaude), &orig)
	orig["model"] = "my-own-choice" // the user's own change since
	if !reflect.DeepEqual(after, orig) {
		t.Errorf("settings.json after uninstall = %v, want the user's %v", after, orig)
	}
}

func TestInstallScriptRejectsUnknownArguments(t *testing.T) {
	d := templateData{Profile: "P", Config: config.Profile{SessionDurationSeconds: 3600}}
	files, err := render(d)
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "install.sh")
	writeFile(t, script, string(files[0].data))
	out, err := exec.Command("sh", script, "--bogus").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "unknown argument --bogus") {
		t.Fatalf("install.sh --bogus: %v\n%s", err, out)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
