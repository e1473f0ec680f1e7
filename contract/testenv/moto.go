package testenv

import (
	"fmt"
	"io"
	"net"
	"os/exec"
	"testing"
	"time"
)

// motoHint is how to get moto; the machine image provides it (.ci/run checks).
const motoHint = "pip install 'moto[server]'"

// motoStartTimeout bounds how long moto may take to say that it listens.
const motoStartTimeout = 60 * time.Second

// Moto starts moto (https://github.com/getmoto/moto), a local emulation of AWS APIs, in
// server mode on a free loopback port until the test ends, and returns its URL: a real
// endpoint that the AWS SDK talks to as it would to AWS (point BaseEndpoint at it, with any
// static credentials). Without moto the test fails in CI and is skipped elsewhere.
func Moto(t testing.TB) string {
	t.Helper()
	argv := motoCommand()
	if argv == nil {
		Missing(t, "moto (moto_server, or the Python module moto.server)", motoHint)
		return ""
	}
	port := freePort(t)
	cmd := exec.Command(argv[0], append(argv[1:], "-H", "127.0.0.1", "-p", port)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", argv[0], err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	url := "http://127.0.0.1:" + port
	ready := make(chan error, 1)
	go func() { ready <- waitListening(stderr, url) }()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(motoStartTimeout):
		t.Fatalf("moto did not listen on %s within %s", url, motoStartTimeout)
	}
	return url
}

// waitListening reads moto's log until it says it runs on url (waitFor).
func waitListening(log io.Reader, url string) error {
	return waitFor(log, "Running on "+url)
}

// motoCommand is moto's server entry point: the moto_server script, else the module; nil
// when neither is installed.
func motoCommand() []string {
	if p, err := exec.LookPath("moto_server"); err == nil {
		return []string{p}
	}
	if p, err := exec.LookPath("python3"); err == nil && exec.Command(p, "-c", "import moto.server").Run() == nil {
		return []string{p, "-m", "moto.server"}
	}
	return nil
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}
