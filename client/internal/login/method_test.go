package login

import (
	"errors"
	"strings"
	"testing"

	"ccwb.dev/contract/signin"
)

func TestChoose(t *testing.T) {
	desktop := map[string]string{"DISPLAY": ":0"}
	for _, tc := range []struct {
		name              string
		setting, override string
		env               map[string]string
		goos              string
		noOpener, noDev   bool
		want, wantReason  string
	}{
		{"default on a Linux desktop", "", "", desktop, "linux", false, false, signin.Browser, ""},
		{"auto over SSH", "auto", "", map[string]string{"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, "linux", false, false, signin.Device, "SSH session (SSH_CONNECTION is set)"},
		{"auto over SSH on a Mac", "auto", "", map[string]string{"SSH_TTY": "/dev/ttys001"}, "darwin", false, false, signin.Device, "SSH_TTY is set"},
		{"auto in a container without display", "auto", "", nil, "linux", false, false, signin.Device, "no display"},
		{"auto with a Wayland display", "auto", "", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "linux", false, false, signin.Browser, ""},
		{"auto with BROWSER and no display", "auto", "", map[string]string{"BROWSER": "w3m"}, "linux", false, false, signin.Browser, ""},
		{"auto without xdg-open", "auto", "", desktop, "linux", true, false, signin.Device, "xdg-open is not on PATH"},
		{"auto on macOS", "auto", "", nil, "darwin", true, false, signin.Browser, ""},
		{"auto on Windows", "auto", "", nil, "windows", true, false, signin.Browser, ""},
		{"auto over SSH, provider without device grant", "auto", "", map[string]string{"SSH_CLIENT": "x"}, "linux", false, true, signin.Browser, ""},
		{"device set", "device", "", desktop, "linux", false, false, signin.Device, ""},
		{"override wins", "device", "browser", map[string]string{"SSH_CLIENT": "x"}, "linux", false, false, signin.Browser, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := Env{
				Getenv: func(k string) string { return tc.env[k] },
				LookPath: func(string) (string, error) {
					if tc.noOpener {
						return "", errors.New("not found")
					}
					return "/usr/bin/xdg-open", nil
				},
				GOOS: tc.goos,
			}
			got, reason, err := Choose(tc.setting, tc.override, !tc.noDev, e)
			if err != nil || got != tc.want {
				t.Fatalf("Choose = %q, %v; want %q", got, err, tc.want)
			}
			if tc.wantReason == "" && reason != "" || !strings.Contains(reason, tc.wantReason) {
				t.Errorf("reason %q, want it to say %q", reason, tc.wantReason)
			}
			if reason != "" && !strings.Contains(reason, "--login browser") {
				t.Errorf("reason %q does not say how to change it", reason)
			}
		})
	}
	if _, _, err := Choose("", "sms", true, Env{}); err == nil || !strings.Contains(err.Error(), "browser, device, auto") {
		t.Errorf("an unknown override: %v", err)
	}
}
