// Package install puts an end-user package in place on the user's machine: the AWS CLI
// profiles with credential_process in ~/.aws/config and the Claude Code settings in
// ~/.claude/settings.json, each merged into what the user already has (with a backup),
// and undone by Uninstall. install.sh and install.ps1 copy the binaries, then run
// `ccwb-setup install`, so both platforms share this one tested implementation.
package install

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"ccwb.dev/client/internal/atomicfile"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/strictjson"
)

// File names inside the install directory (and the package), beside config.json
// (config.FileName).
const (
	ClaudeSettingsFile = "claude-settings.json"
	StateFile          = "installed.json"
)

// The commands of a package, as the installers copy them into the install directory (with
// .exe on Windows). A package's Claude Code settings name the credential process and the
// otel-helper bare; NewPlan gives them their installed paths.
const (
	CredentialProcessName = "credential-process"
	OtelHelperName        = "otel-helper"
	SetupName             = "ccwb-setup"
)

// Plan is what an install writes outside the install directory.
type Plan struct {
	// Dir is the install directory holding the binaries and config.json.
	Dir string `json:"dir"`
	// AWSConfig and ClaudeSettingsPath are the files merged into.
	AWSConfig          string `json:"aws_config"`
	ClaudeSettingsPath string `json:"claude_settings"`
	// Profiles are the [profile ...] sections, one per config.json profile.
	Profiles []AWSProfile `json:"profiles"`
	// Claude is merged into the Claude Code settings.
	Claude ClaudeSettings `json:"claude"`
	// Version is the installed package's (its VERSION file), "" for a package without one.
	Version string `json:"version,omitempty"`
}

// Paths are where the user's files live.
type Paths struct {
	Home, AWSConfig, ClaudeSettings string
}

// UserPaths finds the files the AWS CLI and Claude Code read, honouring AWS_CONFIG_FILE
// and CLAUDE_CONFIG_DIR as those tools do.
func UserPaths(getenv func(string) string) (Paths, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Paths{}, fmt.Errorf("find home directory: %w", err)
	}
	p := Paths{
		Home:           home,
		AWSConfig:      filepath.Join(home, ".aws", "config"),
		ClaudeSettings: filepath.Join(home, ".claude", "settings.json"),
	}
	if v := getenv("AWS_CONFIG_FILE"); v != "" {
		p.AWSConfig = v
	}
	if v := getenv("CLAUDE_CONFIG_DIR"); v != "" {
		p.ClaudeSettings = filepath.Join(v, "settings.json")
	}
	return p, nil
}

// CredentialProcessKey is the AWS config key of the command that prints a profile's
// credentials (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html).
const CredentialProcessKey = "credential_process"

// CredentialProcess is the credential_process command line for a profile: the installed
// binary and the profile it serves. A path with spaces is put in double quotes, as the AWS
// CLI asks ("surround the complete path ... with double-quotation marks",
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html);
// backslashes stay as they are (a Windows path). A path holding a double quote cannot be
// written at all: NewPlan refuses it.
func CredentialProcess(dir, goos, profile string) string {
	return credentialProcessExe(dir, goos) + " --profile " + profile
}

func credentialProcessExe(dir, goos string) string {
	exe := filepath.Join(dir, CredentialProcessName)
	if goos == "windows" {
		exe = strings.TrimRight(dir, `\/`) + `\` + CredentialProcessName + ".exe"
	}
	if strings.ContainsAny(exe, " \t'") {
		exe = `"` + exe + `"`
	}
	return exe
}

// NewPlan builds the plan for the package installed in dir: config.json gives the
// profiles, claude-settings.json the Claude Code settings. A relative otelHeadersHelper
// names a binary of the install directory; it is dropped when that binary is absent
// (a package built without monitoring, or before the otel-helper existed). An awsAuthRefresh
// that starts with the credential process's bare name gets the installed path instead.
func NewPlan(dir, goos string, paths Paths) (*Plan, error) {
	f, err := os.Open(filepath.Join(dir, config.FileName))
	if err != nil {
		return nil, fmt.Errorf("read the package configuration: %w", err)
	}
	defer f.Close()
	cfg, err := config.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	var claude ClaudeSettings
	data, err := os.ReadFile(filepath.Join(dir, ClaudeSettingsFile))
	if err != nil {
		return nil, fmt.Errorf("read the package's Claude Code settings: %w", err)
	}
	if err := strictjson.Unmarshal(data, &claude); err != nil {
		return nil, fmt.Errorf("%s: %w", ClaudeSettingsFile, err)
	}
	if h := claude.OtelHeadersHelper; h != "" && !filepath.IsAbs(h) {
		if goos == "windows" {
			h += ".exe"
		}
		claude.OtelHeadersHelper = ""
		if _, err := os.Stat(filepath.Join(dir, h)); err == nil {
			claude.OtelHeadersHelper = filepath.Join(dir, h)
		}
	}
	if strings.ContainsAny(dir, "\"\n") {
		return nil, fmt.Errorf("install directory %q holds a double quote or a line break, which no credential_process line can express: install into another directory (CCWB_INSTALL_DIR)", dir)
	}
	if rest, ok := strings.CutPrefix(claude.AWSAuthRefresh, CredentialProcessName+" "); ok {
		claude.AWSAuthRefresh = credentialProcessExe(dir, goos) + " " + rest
	}
	plan := &Plan{Dir: dir, AWSConfig: paths.AWSConfig, ClaudeSettingsPath: paths.ClaudeSettings, Claude: claude}
	if v, err := os.ReadFile(filepath.Join(dir, distribution.VersionFile)); err == nil {
		plan.Version = strings.TrimSpace(string(v))
	}
	for _, name := range cfg.Names() {
		p := cfg.Profiles[name]
		plan.Profiles = append(plan.Profiles, AWSProfile{Name: name, Keys: [][2]string{
			{CredentialProcessKey, CredentialProcess(dir, goos, name)},
			{"region", p.Region},
		}})
	}
	return plan, nil
}

// Install applies the plan. What a previous install wrote and this one no longer
// writes (a removed profile, telemetry turned off) is taken out first. A file that
// changes is backed up next to itself as <file>.ccwb-backup-<time>; running Install
// again with the same plan changes nothing and makes no backup.
func Install(p *Plan, now time.Time, log io.Writer) error {
	prev, err := readState(p.Dir)
	if err != nil {
		return err
	}
	err = rewrite(p.AWSConfig, 0o600, now, log, func(text []byte) ([]byte, error) {
		if prev != nil {
			for _, old := range prev.Profiles {
				if !slices.ContainsFunc(p.Profiles, func(n AWSProfile) bool { return n.Name == old.Name }) {
					text = RemoveProfile(text, old.Name)
				}
			}
		}
		for _, prof := range p.Profiles {
			text = SetProfile(text, prof)
		}
		return text, nil
	})
	if err != nil {
		return err
	}
	err = rewrite(p.ClaudeSettingsPath, 0o644, now, log, func(text []byte) ([]byte, error) {
		if prev != nil {
			var err error
			if text, err = UnmergeClaudeSettings(text, prev.Claude); err != nil {
				return nil, err
			}
		}
		return MergeClaudeSettings(text, p.Claude)
	})
	if err != nil {
		return err
	}
	state, err := encode(p, "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(p.Dir, StateFile), state, 0o644)
}

// Uninstall undoes what the install recorded in dir: its profiles leave the AWS config
// and its Claude Code settings leave settings.json (where the user has not changed them
// since). The install directory itself is the caller's to remove.
func Uninstall(dir string, now time.Time, log io.Writer) error {
	p, err := readState(dir)
	if err != nil {
		return err
	}
	if p == nil {
		return fmt.Errorf("nothing to uninstall: %s has no %s (was the package installed there?)", dir, StateFile)
	}
	err = rewrite(p.AWSConfig, 0o600, now, log, func(text []byte) ([]byte, error) {
		for _, prof := range p.Profiles {
			text = RemoveProfile(text, prof.Name)
		}
		return text, nil
	})
	if err != nil {
		return err
	}
	err = rewrite(p.ClaudeSettingsPath, 0o644, now, log, func(text []byte) ([]byte, error) {
		return UnmergeClaudeSettings(text, p.Claude)
	})
	if err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, StateFile)); err != nil {
		return fmt.Errorf("uninstall: %w", err)
	}
	return nil
}

func readState(dir string) (*Plan, error) {
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the previous install's record: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s is corrupt (%v): remove it and run the installer again", filepath.Join(dir, StateFile), err)
	}
	return &p, nil
}
