package login

import (
	"io"
	"os"
	"runtime"
)

// Prompts is where the sign-in prompts (the URL to open, the device code) go in the default
// mode, when the credential process runs as an AWS SDK's credential_process: stderr, and
// also the terminal (/dev/tty) when stderr is not one. The AWS CLI and the JavaScript SDK
// capture a credential process's stderr and show it only when the process fails, so a
// device code written only there would never be seen (docs/end-user/sign-in.md). The
// second return closes what Prompts opened.
func Prompts(stderr *os.File) (io.Writer, func()) {
	if runtime.GOOS == "windows" || isTerminal(stderr) {
		return stderr, func() {}
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil { // no controlling terminal: a service, a CI job, Claude Code's children
		return stderr, func() {}
	}
	return io.MultiWriter(stderr, tty), func() { _ = tty.Close() }
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
