package idptest

import (
	"testing"

	"ccwb.dev/contract/testenv"
)

// FreePort returns a loopback TCP port that was free a moment ago (testenv.FreePort): for
// tests that must name a port up front (the login callback, a collector's receivers).
func FreePort(t testing.TB) int {
	t.Helper()
	return testenv.FreePort(t)
}
