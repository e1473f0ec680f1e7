package browser

import (
	"reflect"
	"testing"
)

func TestCommands(t *testing.T) {
	const u = "https://idp/authorize?a=1"
	tests := []struct {
		name, env, goos string
		want            [][]string
	}{
		{"no BROWSER on linux", "", "linux", [][]string{{"xdg-open", u}}},
		{"no BROWSER on mac", "", "darwin", [][]string{{"open", u}}},
		{"BROWSER with args", "firefox --new-tab", "linux", [][]string{{"firefox", "--new-tab", u}, {"xdg-open", u}}},
		{"BROWSER with %s", "w3m %s -dump", "linux", [][]string{{"w3m", u, "-dump"}, {"xdg-open", u}}},
		{"BROWSER list", "lynx:chromium", "linux", [][]string{{"lynx", u}, {"chromium", u}, {"xdg-open", u}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commands(tt.env, tt.goos, u); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("commands(%q) = %q, want %q", tt.env, got, tt.want)
			}
		})
	}
}
