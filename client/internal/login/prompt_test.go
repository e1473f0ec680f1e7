package login

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"
)

type tty struct {
	bytes.Buffer
	closed bool
}

func (t *tty) Close() error { t.closed = true; return nil }

// A credential process whose stderr is captured (a pipe) shows its prompts on the terminal
// too, and opens the terminal only when there is something to show: the cached path, which
// prompts for nothing, opens nothing.
func TestPromptsOpenTheTerminalAtTheFirstPrompt(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	terminal, opened := &tty{}, 0
	p := &prompts{stderr: w, openTTY: func() (io.WriteCloser, error) { opened++; return terminal, nil }}
	if opened != 0 {
		t.Fatal("the terminal was opened before any prompt")
	}
	fmt.Fprintln(p, "ccwb: to sign in, open https://idp.example/device")
	fmt.Fprintln(p, "  ABCD-EFGH")
	p.close()
	w.Close()
	captured, _ := io.ReadAll(r)
	want := "ccwb: to sign in, open https://idp.example/device\n  ABCD-EFGH\n"
	if opened != 1 || terminal.String() != want || !terminal.closed {
		t.Errorf("opened %d times, terminal got %q (closed %v); want once, %q, closed", opened, terminal.String(), terminal.closed, want)
	}
	if string(captured) != want {
		t.Errorf("stderr got %q, want %q", captured, want)
	}
}

// Without a controlling terminal (a service, Claude Code's children) the prompts go to stderr
// alone.
func TestPromptsWithoutATerminalUseStderr(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := &prompts{stderr: w, openTTY: func() (io.WriteCloser, error) { return nil, os.ErrNotExist }}
	fmt.Fprintln(p, "ccwb: open this URL")
	p.close()
	w.Close()
	if captured, _ := io.ReadAll(r); string(captured) != "ccwb: open this URL\n" {
		t.Errorf("stderr got %q", captured)
	}
}
