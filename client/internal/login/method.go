// Package login decides how a sign-in is conducted: which method a profile's login setting
// comes to on this machine (Choose), and where its prompts go so that the user sees them
// (Prompts).
package login

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"

	"ccwb.dev/contract/signin"
)

// Env is what Choose reads of the machine: environment variables, whether a program is on
// PATH, and the operating system.
type Env struct {
	Getenv   func(string) string
	LookPath func(string) (string, error)
	GOOS     string
}

// OSEnv is this machine's Env.
func OSEnv() Env { return Env{Getenv: os.Getenv, LookPath: exec.LookPath, GOOS: runtime.GOOS} }

// Choose returns the login method (signin.Browser or signin.Device) for the profile's
// setting, overridden by override (--login or CCWB_LOGIN) when that is set, and, for
// signin.Auto, why it chose: a line to print, "" when it chose the browser on a desktop.
// supportsDevice is false for identity providers without a device authorization endpoint
// (Cognito user pools): auto then always picks the browser.
func Choose(setting, override string, supportsDevice bool, e Env) (method, reason string, err error) {
	m := setting
	if override != "" {
		m = override
	}
	if m == "" {
		m = signin.Auto
	}
	if !slices.Contains(signin.Methods, m) {
		return "", "", fmt.Errorf("login method %q is not one of %s", m, strings.Join(signin.Methods, ", "))
	}
	if m != signin.Auto {
		return m, "", nil
	}
	why := headless(e)
	if why == "" || !supportsDevice {
		return signin.Browser, "", nil
	}
	return signin.Device, fmt.Sprintf("ccwb: %s: signing in with a device code (use --login browser to change)", why), nil
}

// headless says why this session cannot show a browser that reaches a loopback port, or ""
// when it can: an SSH session (sshd sets SSH_CONNECTION, SSH_CLIENT and SSH_TTY), or on
// Linux and the BSDs no display and no $BROWSER, or no opener on PATH.
func headless(e Env) string {
	for _, v := range []string{"SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"} {
		if e.Getenv(v) != "" {
			return "SSH session (" + v + " is set)"
		}
	}
	if e.GOOS == "darwin" || e.GOOS == "windows" || e.Getenv("BROWSER") != "" {
		return ""
	}
	if e.Getenv("DISPLAY") == "" && e.Getenv("WAYLAND_DISPLAY") == "" {
		return "no display (DISPLAY and WAYLAND_DISPLAY are unset)"
	}
	if _, err := e.LookPath("xdg-open"); err != nil {
		return "no browser opener (xdg-open is not on PATH)"
	}
	return ""
}
