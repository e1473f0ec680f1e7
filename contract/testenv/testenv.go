// Package testenv is test support for every module: the one policy for a test that needs
// something the machine provides (a command such as the AWS CLI or Chromium, a file that
// `make setup` installs, a local moto), and the project root those live under.
//
// When what a test needs is missing, the test fails in CI (CI=true), saying what to install,
// and is skipped elsewhere with the same reason; scripts/test.sh ends with the count of skips
// and their reasons. `.ci/run` and `make setup` install everything the tests need, so in CI
// nothing skips. Shipped code never imports this package.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"ccwb.dev/contract/project"
)

// CI reports whether the tests run in CI: the CI variable is true (CI=true, as CI systems
// set it; 1 counts too).
func CI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// Need returns the path of the command tool on PATH. When it is missing, the test fails in
// CI and is skipped elsewhere (see Missing); installHint says how to get it, e.g.
// "apt-get install chromium".
func Need(t testing.TB, tool, installHint string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		Missing(t, tool, installHint)
		return ""
	}
	return path
}

// NeedFile returns path when it exists; otherwise the test fails in CI and is skipped
// elsewhere (see Missing). what names the thing for a person, e.g. "Claude Code".
func NeedFile(t testing.TB, path, what, installHint string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Missing(t, fmt.Sprintf("%s (%s)", what, path), installHint)
		return ""
	}
	return path
}

// Missing ends a test that needs what, which this machine lacks: with CI=true it fails, since
// CI must run every test; elsewhere it skips. Both say how to install it.
func Missing(t testing.TB, what, installHint string) {
	t.Helper()
	if CI() {
		t.Fatalf("needs %s, which is not installed: %s. With CI=true a missing tool fails the test (.ci/run and make setup install every tool the tests need)", what, installHint)
		return // Fatalf does not return; a recording TB's does
	}
	t.Skipf("needs %s, which is not installed: %s", what, installHint)
}

// Root returns the project root (contract/project: the nearest directory at or above the
// working directory, where a test runs, that holds cdk.json).
func Root(t testing.TB) string {
	t.Helper()
	root, err := project.Root(".")
	if err != nil {
		t.Fatalf("find the project root: %v", err)
	}
	return root
}

// AWSCLI returns the AWS CLI (`aws`), which the consumer and installer tests run as a user
// would. The machine image has it from pip; Debian packages it as awscli.
func AWSCLI(t testing.TB) string {
	t.Helper()
	return Need(t, "aws", "apt-get install awscli, or pip install awscli (.ci/run installs it)")
}

// Slow marks a test of the full tier: `go test -short` (the quick tier) skips it, saying
// what makes it slow, e.g. "cross-compiles the client". make test and CI run every tier.
func Slow(t testing.TB, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("slow (%s): -short skips it", what)
	}
}
