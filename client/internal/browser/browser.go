// Package browser opens the login page in the user's browser, respecting $BROWSER, and
// always prints the URL so a user on a headless or SSH session can open it elsewhere.
package browser

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Open prints url to prompt and starts the browser without waiting for it. The browser's
// own output goes to w (stderr: stdout belongs to the credential JSON, or to the prompts).
func Open(url string, prompt, w io.Writer) {
	fmt.Fprintf(prompt, "ccwb: opening your browser to sign in. If it does not open, visit this URL:\n\n  %s\n\n", url)
	for _, argv := range commands(os.Getenv("BROWSER"), runtime.GOOS, url) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdout, cmd.Stderr = w, w
		if err := cmd.Start(); err == nil {
			go func() { _ = cmd.Wait() }()
			return
		}
	}
	fmt.Fprintln(prompt, "ccwb: no browser could be started; open the URL above by hand")
}

// commands lists the commands to try, in order: each entry of $BROWSER (colon-separated,
// "%s" replaced by the URL, else the URL appended), then the platform's opener.
func commands(browserEnv, goos, url string) [][]string {
	var out [][]string
	for _, entry := range strings.Split(browserEnv, string(os.PathListSeparator)) {
		fields := strings.Fields(entry)
		if len(fields) == 0 {
			continue
		}
		replaced := false
		for i, f := range fields {
			if strings.Contains(f, "%s") {
				fields[i] = strings.ReplaceAll(f, "%s", url)
				replaced = true
			}
		}
		if !replaced {
			fields = append(fields, url)
		}
		out = append(out, fields)
	}
	switch goos {
	case "darwin":
		out = append(out, []string{"open", url})
	case "windows":
		out = append(out, []string{"rundll32", "url.dll,FileProtocolHandler", url})
	default:
		out = append(out, []string{"xdg-open", url})
	}
	return out
}
