package cdktest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/contract/testenv"
)

// CfnLint runs cfn-lint once over every template in dir and fails the test on any error
// or warning (cfn-lint warnings are real defects here: hard-coded partitions, unused
// parameters, deprecated properties). ignore lists rule IDs to skip, each a decision the
// caller documents where it calls CfnLint. Informational findings are ignored.
func CfnLint(t testing.TB, dir string, ignore ...string) {
	t.Helper()
	bin := testenv.Need(t, "cfn-lint", "pip install cfn-lint (the machine image has it; .ci/run checks)")
	templates, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if len(templates) == 0 {
		t.Fatalf("no templates in %s", dir)
	}
	args := []string{"--format", "parseable"}
	if len(ignore) > 0 {
		args = append(args, "--ignore-checks", strings.Join(ignore, ","))
	}
	args = append(append(args, "--"), templates...)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err == nil {
		return
	}
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 8 {
		return // informational only
	}
	t.Fatalf("cfn-lint found problems (%v):\n%s", err, out)
}
