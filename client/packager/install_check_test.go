package packager

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/testenv"
)

// install.sh checks the package against SHA256SUMS before it installs anything: without a
// checksum tool it refuses and says what to install, a changed or unlisted file stops it,
// and an intact package passes the check (this fake one then stops: it has no binaries).
func TestInstallScriptChecksThePackage(t *testing.T) {
	sh := lookTool(t, "sh")
	script := renderInstallScript(t)
	tools := func(t *testing.T, names ...string) string { // a PATH holding only these tools
		dir := t.TempDir()
		for _, n := range names {
			if err := os.Symlink(lookTool(t, n), filepath.Join(dir, n)); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	base := []string{"uname", "dirname", "cut", "grep"}
	for _, tc := range []struct {
		name   string
		path   func(t *testing.T) string
		tamper func(t *testing.T, dir string)
		want   string
	}{
		{"no checksum tool", func(t *testing.T) string { return tools(t, base...) }, nil,
			"neither sha256sum nor shasum is installed. Install one (Linux: the coreutils package"},
		{"intact, with sha256sum", func(t *testing.T) string { return tools(t, append(base, "sha256sum")...) }, nil,
			"the package has no"},
		{"intact, with shasum only", func(t *testing.T) string { return tools(t, append(base, "shasum", "perl")...) }, nil,
			"the package has no"},
		{"a file changed", func(t *testing.T) string { return tools(t, append(base, "sha256sum")...) },
			func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "config.json"), `{"evil": true}`) },
			"the package is damaged (SHA256SUMS mismatch)"},
		{"a copied file not listed", func(t *testing.T) string { return tools(t, append(base, "sha256sum")...) },
			func(t *testing.T, dir string) {
				sums := filepath.Join(dir, "SHA256SUMS")
				b, err := os.ReadFile(sums)
				if err != nil {
					t.Fatal(err)
				}
				var kept []string
				for _, l := range strings.SplitAfter(string(b), "\n") {
					if !strings.HasSuffix(l, "  README.md\n") {
						kept = append(kept, l)
					}
				}
				writeFile(t, sums, strings.Join(kept, ""))
			},
			"README.md is not listed in SHA256SUMS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := fakePackage(t, script)
			if tc.tamper != nil {
				tc.tamper(t, dir)
			}
			home := t.TempDir()
			cmd := exec.Command(sh, filepath.Join(dir, "install.sh"))
			cmd.Env = []string{"PATH=" + tc.path(t), "HOME=" + home}
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), tc.want) {
				t.Fatalf("install.sh: %v\n%s\nwant a failure saying %q", err, out, tc.want)
			}
			if entries, _ := os.ReadDir(home); len(entries) != 0 {
				t.Errorf("install.sh wrote into the home before the package was checked: %v", entries)
			}
		})
	}
}

// toolPackages are the Debian packages of the tools the installer tests run that Debian's
// essential set (coreutils, grep, dash, perl-base) lacks; .ci/run installs them.
var toolPackages = map[string]string{"shasum": "perl", "ssh-keygen": "openssh-client"}

// lookTool finds a Unix tool the installer runs (testenv.Need: a missing one fails the test
// in CI and skips it elsewhere, saying which package has it).
func lookTool(t *testing.T, name string) string {
	t.Helper()
	hint := "part of Debian's essential packages (coreutils, grep, dash)"
	if pkg, ok := toolPackages[name]; ok {
		hint = "apt-get install " + pkg + " (.ci/run does)"
	}
	return testenv.Need(t, name, hint)
}

func renderInstallScript(t *testing.T) []byte {
	t.Helper()
	files, err := render(templateData{Profile: "P", Config: config.Profile{SessionDurationSeconds: 3600}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.path == "install.sh" {
			return f.data
		}
	}
	t.Fatal("no install.sh rendered")
	return nil
}

// fakePackage lays out the data files install.sh copies and a SHA256SUMS over them.
func fakePackage(t *testing.T, script []byte) string {
	dir := t.TempDir()
	var sums strings.Builder
	for _, f := range []struct{ name, data string }{
		{"README.md", "# readme\n"}, {"claude-settings.json", "{}\n"}, {"config.json", `{"profiles": {}}` + "\n"}, {"VERSION", "1.0.0\n"},
		{"install.sh", string(script)},
	} {
		writeFile(t, filepath.Join(dir, f.name), f.data)
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256([]byte(f.data)), f.name)
	}
	writeFile(t, filepath.Join(dir, "SHA256SUMS"), sums.String())
	return dir
}
