package idptest

import (
	"net"
	"testing"
)

// FreePort returns a loopback TCP port that was free a moment ago: for tests that must
// name a port up front (the login callback, a collector's receivers).
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
