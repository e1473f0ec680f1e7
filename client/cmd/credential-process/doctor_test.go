package main

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	report "ccwb.dev/contract/doctor"
)

// --doctor on a machine where the package is not installed: one line per check, the AWS
// profile and the Claude Code settings failing with the fix, exit 1; --json is the report;
// --bundle holds no secret of the signed-in session.
func TestDoctor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustCredentials(e.run()) // a session with tokens to keep out of the bundle
	r := e.run("--doctor")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 1 || len(lines) != 8 {
		t.Fatalf("exit %d, %d lines, want 1 and 8:\n%s\n%s", r.code, len(lines), r.stdout, r.stderr)
	}
	for _, want := range []string{"PASS  config ", "FAIL  aws profile ", "FAIL  claude code settings ", "PASS  session "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no line %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "— fix: run the package's installer again") {
		t.Errorf("the failures name no fix:\n%s", r.stdout)
	}

	bundle := filepath.Join(e.home, "bundle.zip")
	r = e.run("--doctor", "--json", "--bundle", bundle)
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || len(rep.Results) != 8 || rep.Tool != "credential-process --doctor" {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}
	z, err := zip.OpenReader(bundle)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	tokens := readFileT(t, filepath.Join(e.cache, "ccwb", "test", "tokens.json"))
	var cached map[string]string
	_ = json.Unmarshal([]byte(tokens), &cached)
	for _, f := range z.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		for _, k := range []string{"id_token", "refresh_token"} {
			if v := cached[k]; v != "" && strings.Contains(string(b), v) {
				t.Errorf("%s holds the cached %s", f.Name, k)
			}
		}
	}
}

func readFileT(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
