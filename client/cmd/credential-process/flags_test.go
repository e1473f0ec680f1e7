package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/client/internal/claims"
	"ccwb.dev/contract/config"
)

func TestFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	if r := e.run("--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "credential-process ") {
		t.Errorf("--version: %+v", r)
	}
	if r := e.run("--explain"); r.code != 0 || !strings.Contains(r.stdout, "none cached") || !strings.Contains(r.stdout, "session files in ") {
		t.Errorf("--explain before login: %+v", r)
	}
	e.mustFail(e.run("--check-expiration"), 1, "profile test has no valid cached credentials")

	// --refresh-if-needed logs in and prints its status on stdout, never credentials.
	r := e.run("--refresh-if-needed")
	if r.code != 0 || !strings.Contains(r.stdout, "credentials valid until") || strings.Contains(r.stdout, "AccessKeyId") {
		t.Errorf("--refresh-if-needed: %+v", r)
	}
	if r := e.run("--check-expiration"); r.code != 0 || r.stdout != "" {
		t.Errorf("--check-expiration after login: %+v", r)
	}

	// The monitoring token is a valid ID token for this user, on one line.
	r = e.run("--get-monitoring-token")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("--get-monitoring-token: %+v", r)
	}
	c, err := claims.Parse(strings.TrimSpace(r.stdout))
	if err != nil || c.String("email") != "jane.doe@example.com" || c.String("iss") != e.idp.Issuer {
		t.Errorf("monitoring token claims %v, %v", c, err)
	}

	r = e.run("--show-claims")
	var shown map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &shown) != nil || shown["email"] != "jane.doe@example.com" || shown["department"] != "engineering" {
		t.Errorf("--show-claims: %+v", r)
	}
	if e.idp.Logins.Load() != 1 {
		t.Errorf("logins = %d, want 1 across all flags", e.idp.Logins.Load())
	}

	if r := e.run("--explain"); !strings.Contains(r.stdout, "valid until") || !strings.Contains(r.stdout, "refresh token cached") {
		t.Errorf("--explain after login:\n%s", r.stdout)
	}
	if r := e.run("--clear-cache"); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "cleared cached credentials and tokens of profile test") {
		t.Errorf("--clear-cache: %+v", r)
	}
	e.mustFail(e.run("--check-expiration"), 1, "no valid cached credentials")
	e.mustFail(e.run("--no-such-flag"), 2, "flag provided but not defined: -no-such-flag")
	e.mustFail(e.run("extra"), 2, `unexpected argument "extra"`)
}

func TestProfileSelection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.profile
	other.RoleARN = "arn:aws:iam::123456789012:role/Other"
	e.writeConfig(&config.File{Profiles: map[string]config.Profile{"test": e.profile, "other": other}})
	e.mustFail(e.run(), 2, "config has 2 profiles (other, test): choose one with --profile")
	e.mustCredentials(e.run("--profile", "test"))

	e.writeConfig(&config.File{DefaultProfile: "test", Profiles: map[string]config.Profile{"test": e.profile, "other": other}})
	e.mustCredentials(e.run())
	e.mustFail(e.run("--profile", "other"), 1, "AWS denied access to arn:aws:iam::123456789012:role/Other")
}

// config.json beside the binary wins over ~/claude-code-with-bedrock/config.json.
func TestConfigBesideBinaryWins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := t.TempDir()
	exe := filepath.Join(dir, filepath.Base(binary))
	b, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o700); err != nil {
		t.Fatal(err)
	}
	beside := &config.File{Profiles: map[string]config.Profile{"beside": e.profile}}
	data, _ := beside.Marshal()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "--explain")
	cmd.Env = e.environ()
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), filepath.Join(dir, "config.json")) || !strings.Contains(string(out), "beside") {
		t.Errorf("--explain did not use the config beside the binary:\n%s", out)
	}
}
