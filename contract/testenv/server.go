package testenv

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// serverStartTimeout bounds how long a local server may take to say that it listens.
const serverStartTimeout = 60 * time.Second

// serve starts a local server (moto, versitygw) until the test ends, and returns once a line
// of its log (stdout and stderr) holds ready; the test fails when the server exits first or
// says nothing of the kind within serverStartTimeout.
func serve(t testing.TB, name string, cmd *exec.Cmd, ready string) {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	done := make(chan error, 1)
	go func() { done <- waitFor(bufio.NewScanner(out), ready) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	case <-time.After(serverStartTimeout):
		t.Fatalf("%s did not say %q within %s", name, ready, serverStartTimeout)
	}
}

// waitFor reads a server's log until a line holds ready, then drains it in the background.
func waitFor(log *bufio.Scanner, ready string) error {
	var seen []string
	for log.Scan() {
		if strings.Contains(log.Text(), ready) {
			go func() {
				for log.Scan() {
				}
			}()
			return nil
		}
		seen = append(seen, log.Text())
	}
	return fmt.Errorf("the server exited before saying %q:\n%s", ready, strings.Join(seen, "\n"))
}

// FreePort returns a loopback TCP port that was free a moment ago: for a server that must be
// told its port up front (moto, versitygw, the login callback, a collector's receivers).
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
