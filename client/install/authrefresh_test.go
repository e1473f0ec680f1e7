package install

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The package's awsAuthRefresh names the credential process by its bare name: the installer
// writes the installed binary (quoted in a home whose path has a space), and the uninstaller
// takes it out again.
func TestAWSAuthRefreshIsTheInstalledBinary(t *testing.T) {
	dir, paths := setup(t, `{"env": {"CCWB_SIGN_IN": "defer"}, "awsAuthRefresh": "credential-process --profile ClaudeCode --refresh-if-needed"}`, false)
	spaced := filepath.Join(filepath.Dir(dir), "Jane Doe", "claude-code-with-bedrock")
	must(t, os.MkdirAll(filepath.Dir(spaced), 0o755))
	must(t, os.Rename(dir, spaced))
	plan, err := NewPlan(spaced, "linux", paths)
	must(t, err)
	want := strconv.Quote(filepath.Join(spaced, "credential-process")) + " --profile ClaudeCode --refresh-if-needed"
	if plan.Claude.AWSAuthRefresh != want {
		t.Fatalf("awsAuthRefresh = %s, want %s", plan.Claude.AWSAuthRefresh, want)
	}
	var log bytes.Buffer
	must(t, Install(plan, time.Now(), &log))
	var got map[string]any
	must(t, json.Unmarshal([]byte(read(t, paths.ClaudeSettings)), &got))
	if got["awsAuthRefresh"] != want {
		t.Errorf("settings.json awsAuthRefresh = %v", got["awsAuthRefresh"])
	}
	must(t, Uninstall(spaced, time.Now(), &log))
	got = nil
	must(t, json.Unmarshal([]byte(read(t, paths.ClaudeSettings)), &got))
	if len(got) != 0 {
		t.Errorf("uninstall left the installer's keys: %v", got)
	}
}
