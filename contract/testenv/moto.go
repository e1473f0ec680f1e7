package testenv

import (
	"fmt"
	"os/exec"
	"testing"
)

// motoHint is how to get moto; the machine image provides it (.ci/run checks).
const motoHint = "pip install 'moto[server]'"

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
	port := fmt.Sprint(FreePort(t))
	url := "http://127.0.0.1:" + port
	serve(t, "moto", exec.Command(argv[0], append(argv[1:], "-H", "127.0.0.1", "-p", port)...), "Running on "+url)
	return url
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
