package login

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"
)

// Prompts is where the sign-in prompts (the URL to open, the device code) go in the default
// mode, when the credential process runs as an AWS SDK's credential_process: stderr, and
// also the terminal (/dev/tty) when stderr is not one. The AWS CLI and the JavaScript SDK
// capture a credential process's stderr and show it only when the process fails, so a
// device code written only there would never be seen (docs/end-user/sign-in.md). Nothing is
// looked at or opened before the first prompt: a run that prompts for nothing (the cached
// path) pays nothing. The second return closes what the prompts opened.
func Prompts(stderr *os.File) (io.Writer, func()) {
	if runtime.GOOS == "windows" {
		return stderr, func() {}
	}
	p := &prompts{stderr: stderr, openTTY: func() (io.WriteCloser, error) { return os.OpenFile("/dev/tty", os.O_WRONLY, 0) }}
	return p, p.close
}

// prompts writes to stderr, and to the terminal openTTY opens when stderr is not one; it
// decides at the first write.
type prompts struct {
	stderr  *os.File
	openTTY func() (io.WriteCloser, error)
	once    sync.Once
	w       io.Writer
	tty     io.WriteCloser
}

func (p *prompts) Write(b []byte) (int, error) {
	p.once.Do(func() {
		p.w = p.stderr
		if isTerminal(p.stderr) {
			return
		}
		tty, err := p.openTTY()
		if err != nil { // no controlling terminal: a service, a CI job, Claude Code's children
			return
		}
		p.tty, p.w = tty, io.MultiWriter(p.stderr, tty)
	})
	return p.w.Write(b)
}

func (p *prompts) close() {
	if p.tty != nil {
		_ = p.tty.Close()
	}
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// DevicePrompt prints the device sign-in prompt: what to open, the code, and how long
// it lasts, in three lines (Claude Code shows the last five lines of awsAuthRefresh's output).
func DevicePrompt(w io.Writer, uri, complete, code string, lasts time.Duration) {
	fmt.Fprintf(w, "ccwb: to sign in, open %s on any device and enter the code\n", uri)
	fmt.Fprintf(w, "  %s\n", code)
	if complete != "" {
		fmt.Fprintf(w, "ccwb: or open %s (the code expires in %s)\n", complete, lasts.Round(time.Second))
	} else {
		fmt.Fprintf(w, "ccwb: the code expires in %s\n", lasts.Round(time.Second))
	}
}
