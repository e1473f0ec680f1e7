package testenv

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a test that records how it ended instead of ending.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Fatalf(format string, a ...any) { r.fatal = fmt.Sprintf(format, a...) }
func (r *recorder) Skipf(format string, a ...any)  { r.skip = fmt.Sprintf(format, a...) }

// A missing tool skips the test on a developer's machine and fails it in CI, both times
// saying how to install it.
func TestMissingToolFailsInCIAndSkipsElsewhere(t *testing.T) {
	const tool, hint = "ccwb-no-such-tool", "apt-get install ccwb-no-such-tool"
	for _, tc := range []struct {
		ci             string
		fails, skips   bool
		wantInMessages []string
	}{
		{ci: "", skips: true},
		{ci: "false", skips: true},
		{ci: "true", fails: true, wantInMessages: []string{"CI=true"}},
		{ci: "1", fails: true},
	} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			if got := Need(r, tool, hint); got != "" {
				t.Errorf("Need returned %q for a missing tool", got)
			}
			if (r.fatal != "") != tc.fails || (r.skip != "") != tc.skips {
				t.Fatalf("fatal %q, skip %q; want fails=%v skips=%v", r.fatal, r.skip, tc.fails, tc.skips)
			}
			msg := r.fatal + r.skip
			for _, want := range append(tc.wantInMessages, tool, hint) {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
		})
	}
}

func TestNeedFindsToolsAndFiles(t *testing.T) {
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	dir := t.TempDir()
	tool := filepath.Join(dir, "ccwb-tool")
	if err := os.WriteFile(tool, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	if got := Need(r, "ccwb-tool", "-"); got != tool || r.fatal != "" {
		t.Errorf("Need = %q (%q), want %s", got, r.fatal, tool)
	}
	if got := NeedFile(r, tool, "the tool", "-"); got != tool || r.fatal != "" {
		t.Errorf("NeedFile = %q (%q), want %s", got, r.fatal, tool)
	}
	NeedFile(r, filepath.Join(dir, "absent"), "Claude Code", "make setup")
	if !strings.Contains(r.fatal, "Claude Code ("+filepath.Join(dir, "absent")+")") {
		t.Errorf("NeedFile of an absent file: %q, want it to name the thing and its path", r.fatal)
	}
}

func TestRootIsTheWorkspace(t *testing.T) {
	root := Root(t)
	if _, err := os.Stat(filepath.Join(root, "contract", "go.mod")); err != nil {
		t.Fatalf("Root = %s, which does not hold contract/go.mod", root)
	}
}

func TestNodeModulesOfPackageJSON(t *testing.T) {
	if node := Node(t); filepath.Base(node) != "node" {
		t.Errorf("Node = %s", node)
	}
	if dir := NodeModule(t, "@duckdb/node-api"); !strings.HasSuffix(filepath.ToSlash(dir), "node_modules/@duckdb/node-api") {
		t.Errorf("NodeModule = %s", dir)
	}
}

// Moto is a running AWS emulation at the URL it returns: an IAM role created there is
// listed there afterwards.
func TestMotoServesIAM(t *testing.T) {
	url := Moto(t)
	call := func(form string) string {
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// moto routes by the service in the credential scope; it does not check signatures.
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s\n%s", form, resp.Status, body)
		}
		return string(body)
	}
	call("Action=CreateRole&Version=2010-05-08&RoleName=ccwb-testenv&AssumeRolePolicyDocument=%7B%7D")
	if got := call("Action=ListRoles&Version=2010-05-08"); !strings.Contains(got, "<RoleName>ccwb-testenv</RoleName>") {
		t.Fatalf("ListRoles does not list the role just created:\n%s", got)
	}
}
