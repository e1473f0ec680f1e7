package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/store"
	"ccwb.dev/lambda/quota/store/storetest"
)

// quotaSettings writes the committed example as deployment "test" (its tables are the ones
// storetest creates) and points the AWS SDK at moto.
func quotaSettings(t *testing.T) (path string, s *store.Store) {
	s, url := storetest.New(t)
	d, err := settings.Load(filepath.Join(repoRoot(t), "settings", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	d.Name = "test"
	d.Quota.Policies = nil
	path = filepath.Join(t.TempDir(), "test.json")
	if err := settings.Write(path, d); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
	isolatedAWS(t, "testing", "testing")
	return path, s
}

func TestQuotaCommands(t *testing.T) {
	path, s := quotaSettings(t)
	root := repoRoot(t)
	run := func(args ...string) (string, string) {
		t.Helper()
		out, stderr, err := ccwb(t, "", append([]string{"quota", "--project", root, "--settings", path}, args...)...)
		if err != nil {
			t.Fatalf("ccwb quota %v: %v\n%s", args, err, stderr)
		}
		return out, stderr
	}
	// A contractor has used USD 250 this month (Sonnet output at USD 15 a million).
	ctx := context.Background()
	now := time.Now().UTC()
	if err := s.PutProfile(ctx, "00ucarol", "carol@example.com", []string{"contractors"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Count(ctx, store.Counter{Prices: pricing.Defaults, Location: time.UTC}, "00ucarol", []store.Invocation{
		{Region: "us-east-1", RequestID: "r1", Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Time: now, Tokens: pricing.Tokens{Output: 250 * 1_000_000 / 15}}}); err != nil {
		t.Fatal(err)
	}
	_, stderr := run("set", "--group", "contractors", "--metric", "usd", "--period", "monthly", "--limit", "200", "--action", "block")
	if !strings.Contains(stderr, "1 users re-evaluated") {
		t.Errorf("set: %s", stderr)
	}
	out, _ := run("list", "--json")
	var ps []quota.Policy
	if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps) != 1 || ps[0].Limit != 200 || ps[0].Source != quota.SourceCLI {
		t.Fatalf("list --json: %v %s", err, out)
	}
	if out, _ := run("list"); !strings.Contains(out, "group  contractors  usd     monthly  USD 200.00  block") {
		t.Errorf("list table:\n%s", out)
	}
	// The set re-evaluated carol: she is blocked now.
	var rows []usageRow
	out, _ = run("usage", "--user", "00ucarol", "--json")
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 || !rows[0].Blocked || rows[0].Verdict.Decision != quota.Blocked || rows[0].Email != "carol@example.com" {
		t.Fatalf("usage --json: %v %s", err, out)
	}
	if out, _ := run("usage"); !strings.Contains(out, "00ucarol") || !strings.Contains(out, "blocked until") || !strings.Contains(out, "250.00") {
		t.Errorf("usage table:\n%s", out)
	}
	_, stderr = run("unblock", "--user", "00ucarol", "--reason", "release")
	if !strings.Contains(stderr, "access returns within about 2 minutes") {
		t.Errorf("unblock: %s", stderr)
	}
	if bs, _ := s.Blocks(ctx, now); len(bs) != 0 {
		t.Errorf("blocks after the unblock: %+v", bs)
	}
	out, _ = run("usage", "--user", "00ucarol", "--json")
	if err := json.Unmarshal([]byte(out), &rows); err != nil || rows[0].Blocked || rows[0].OverrideUntil == "" || rows[0].Verdict.Decision != quota.Warned {
		t.Errorf("usage after the unblock: %s", out)
	}
	checkQuotaImportExport(t, run, path)
}

// checkQuotaImportExport: export as CSV and JSON, import a changed CSV; a file with a bad
// policy changes nothing.
func checkQuotaImportExport(t *testing.T, run func(...string) (string, string), settingsPath string) {
	csvOut, _ := run("export", "--format", "csv")
	if want := "scope,name,metric,period,limit,action,warn_at\ngroup,contractors,usd,monthly,200,block,\n"; csvOut != want {
		t.Fatalf("export csv:\n%q\nwant\n%q", csvOut, want)
	}
	file := filepath.Join(t.TempDir(), "policies.csv")
	changed := strings.Replace(csvOut, "200,block,", "300,block,50;75", 1) + "default,,tokens,daily,1000000,warn,\n"
	if err := os.WriteFile(file, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	run("import", file)
	jsonOut, _ := run("export")
	var ps []quota.Policy
	if err := json.Unmarshal([]byte(jsonOut), &ps); err != nil || len(ps) != 2 || ps[0].Scope != quota.Default || ps[1].Limit != 300 || len(ps[1].WarnAt) != 2 {
		t.Fatalf("after the import: %v %s", err, jsonOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte(`[{"scope":"group","name":"x","metric":"usd","period":"weekly","limit":1,"action":"block"}]`), 0o600)
	_, _, err := ccwb(t, "", "quota", "--project", repoRoot(t), "--settings", settingsPath, "import", bad)
	if err == nil || !strings.Contains(err.Error(), "nothing imported") || !strings.Contains(err.Error(), `period: "weekly" is not a period`) {
		t.Errorf("import of a bad file: %v", err)
	}
}
