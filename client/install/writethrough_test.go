package install

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// dotfilesHome is a home folder with spaces in its path whose ~/.aws/config and
// ~/.claude/settings.json are symbolic links into a dotfiles repository, as stow, chezmoi
// (symlink mode) and yadm leave them. link makes one such link.
type dotfilesHome struct {
	dir, home, dotfiles string
	paths               Paths
}

func newDotfilesHome(t *testing.T) *dotfilesHome {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need developer mode on Windows")
	}
	root := t.TempDir()
	home := filepath.Join(root, "Jane Doe")
	dir, paths := setup(t, `{"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}}`, false)
	paths.Home = home
	paths.AWSConfig = filepath.Join(home, ".aws", "config")
	paths.ClaudeSettings = filepath.Join(home, ".claude", "settings.json")
	must(t, os.MkdirAll(home, 0o755))
	inHome := filepath.Join(home, "claude-code-with-bedrock")
	must(t, os.Rename(dir, inHome))
	dir = inHome
	dotfiles := filepath.Join(root, "dot files")
	for _, d := range []string{filepath.Join(home, ".aws"), filepath.Join(home, ".claude"), filepath.Join(dotfiles, "aws"), filepath.Join(dotfiles, "claude")} {
		must(t, os.MkdirAll(d, 0o755))
	}
	return &dotfilesHome{dir: dir, home: home, dotfiles: dotfiles, paths: paths}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	must(t, os.Symlink(target, link))
}

// checkLink fails unless link is still a symbolic link whose content is target's.
func checkLink(t *testing.T, link, target, want string) {
	t.Helper()
	st, err := os.Lstat(link)
	must(t, err)
	if st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link: the installer replaced it", link)
	}
	if got := read(t, target); !strings.Contains(got, want) {
		t.Fatalf("%s (the link's target) lacks %q:\n%s", target, want, got)
	}
}

func TestInstallWritesThroughLinks(t *testing.T) {
	h := newDotfilesHome(t)
	userAWS := "[profile work]\nregion = eu-west-1\n"
	realAWS := filepath.Join(h.dotfiles, "aws", "config")
	must(t, os.WriteFile(realAWS, []byte(userAWS), 0o640))
	// ~/.aws/config -> ~/.aws/config.d (a link) -> dotfiles/aws/config: a link to a link,
	// the second one relative.
	symlink(t, filepath.Join(h.home, ".aws", "config.link"), h.paths.AWSConfig)
	symlink(t, filepath.Join("..", "..", "dot files", "aws", "config"), filepath.Join(h.home, ".aws", "config.link"))
	// ~/.claude/settings.json dangles: the dotfiles copy does not exist yet.
	realSettings := filepath.Join(h.dotfiles, "claude", "settings.json")
	symlink(t, realSettings, h.paths.ClaudeSettings)

	plan, err := NewPlan(h.dir, "linux", h.paths)
	must(t, err)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var log bytes.Buffer
	must(t, Install(plan, now, &log))
	checkLink(t, h.paths.AWSConfig, realAWS, "[profile ClaudeCode]")
	checkLink(t, h.paths.ClaudeSettings, realSettings, "CLAUDE_CODE_USE_BEDROCK")
	if st, _ := os.Stat(realAWS); st.Mode().Perm() != 0o640 {
		t.Errorf("target mode %v, want the user's 0640 kept", st.Mode().Perm())
	}
	backup := realAWS + BackupSuffix + "20260102T030405Z"
	if read(t, backup) != userAWS {
		t.Errorf("no backup beside the target %s", realAWS)
	}
	if m, _ := filepath.Glob(filepath.Join(h.home, ".aws", "*"+BackupSuffix+"*")); len(m) != 0 {
		t.Errorf("backups beside the link instead of the target: %v", m)
	}
	if !strings.Contains(log.String(), ".gitignore") {
		t.Errorf("log does not suggest ignoring the backups in the dotfiles repository:\n%s", log.String())
	}
	// The credential_process line names the binary under the home with spaces, quoted.
	if !strings.Contains(read(t, realAWS), `credential_process = "`+h.dir+`/credential-process" --profile ClaudeCode`) {
		t.Errorf("credential_process not quoted:\n%s", read(t, realAWS))
	}

	must(t, Uninstall(h.dir, now.Add(time.Hour), &log))
	checkLink(t, h.paths.AWSConfig, realAWS, "[profile work]")
	if strings.Contains(read(t, realAWS), "ClaudeCode") {
		t.Fatalf("uninstall left the profile in the target:\n%s", read(t, realAWS))
	}
	checkLink(t, h.paths.ClaudeSettings, realSettings, "{")
	if m, _ := filepath.Glob(filepath.Join(h.dotfiles, "aws", ".config.*")); len(m) != 0 {
		t.Errorf("temporary files left in the target's directory: %v", m)
	}
}

func TestInstallThroughALinkedDirectory(t *testing.T) {
	h := newDotfilesHome(t)
	must(t, os.Remove(filepath.Join(h.home, ".claude")))
	symlink(t, filepath.Join(h.dotfiles, "claude"), filepath.Join(h.home, ".claude"))
	plan, err := NewPlan(h.dir, "linux", h.paths)
	must(t, err)
	must(t, Install(plan, time.Now(), &bytes.Buffer{}))
	checkLink(t, filepath.Join(h.home, ".claude"), filepath.Join(h.dotfiles, "claude", "settings.json"), "CLAUDE_CODE_USE_BEDROCK")
}

func TestInstallRefusesBrokenLinks(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(h *dotfilesHome)
		want string
	}{
		{"dangling directory link", func(h *dotfilesHome) {
			os.Remove(filepath.Join(h.home, ".claude"))
			os.Symlink(filepath.Join(h.dotfiles, "missing"), filepath.Join(h.home, ".claude"))
		}, "does not exist"},
		{"link into a missing directory", func(h *dotfilesHome) {
			os.Symlink(filepath.Join(h.dotfiles, "missing", "settings.json"), h.paths.ClaudeSettings)
		}, "does not exist"},
		{"loop", func(h *dotfilesHome) {
			os.Symlink(h.paths.ClaudeSettings+".b", h.paths.ClaudeSettings)
			os.Symlink(h.paths.ClaudeSettings, h.paths.ClaudeSettings+".b")
		}, "a loop"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newDotfilesHome(t)
			c.make(h)
			plan, err := NewPlan(h.dir, "linux", h.paths)
			must(t, err)
			err = Install(plan, time.Now(), &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Install = %v, want an error saying %q", err, c.want)
			}
		})
	}
}

func TestResolveTarget(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need developer mode on Windows")
	}
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "real", "sub"), 0o755))
	must(t, os.Symlink(filepath.Join(dir, "real", "sub"), filepath.Join(dir, "sublink")))
	// A relative link inside a linked directory is read against the physical directory.
	must(t, os.Symlink("../file", filepath.Join(dir, "real", "sub", "rel")))
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "plain"), filepath.Join(dir, "plain")},
		{filepath.Join(dir, "sublink", "rel"), filepath.Join(dir, "real", "file")},
	} {
		got, err := resolveTarget(c.path)
		must(t, err)
		if got != c.want {
			t.Errorf("resolveTarget(%s) = %s, want %s", c.path, got, c.want)
		}
	}
}
