package doctor

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"ccwb.dev/client/doctor"
	"ccwb.dev/client/install"
	"ccwb.dev/contract/signin"
)

const reinstall = "run the package's installer again (install.sh or install.ps1)"

// awsProfile: ~/.aws/config (or AWS_CONFIG_FILE) has the profile, and its
// credential_process runs this binary for it.
func awsProfile(e Env, t Target) doctor.Result {
	paths, err := install.UserPaths(e.Getenv)
	if err != nil {
		return doctor.Fail(reinstall, "%v", err)
	}
	text, err := os.ReadFile(paths.AWSConfig)
	if err != nil {
		return doctor.Fail(reinstall, "cannot read %s: %v", paths.AWSConfig, err)
	}
	cp, ok := install.ProfileValue(text, t.Name, install.CredentialProcessKey)
	switch {
	case !ok:
		return doctor.Fail(reinstall, "%s has no [profile %s] with a credential_process", paths.AWSConfig, t.Name)
	case !strings.Contains(cp, e.Exe) || !strings.Contains(cp+" ", "--profile "+t.Name+" "):
		return doctor.Fail(reinstall+" (it writes credential_process)", "[profile %s] runs %q, not %s --profile %s", t.Name, cp, e.Exe, t.Name)
	}
	return doctor.Pass("[profile %s] in %s runs this binary", t.Name, paths.AWSConfig)
}

// claudeFile is the part of a Claude Code settings file the check reads: what the installer
// writes, and the other credential helper a project could set.
type claudeFile struct {
	install.ClaudeSettings
	AWSCredentialExport string `json:"awsCredentialExport"`
}

func readClaude(path string) (claudeFile, bool, error) {
	var f claudeFile
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return f, false, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &f)
	}
	return f, true, err
}

// claudeSettings: the user's Claude Code settings select this profile on Bedrock, defer the
// sign-in to awsAuthRefresh (this binary), name helpers that exist; and no project settings
// in the working directory override them (Claude Code takes credential helpers and env from
// a trusted project's settings).
func claudeSettings(e Env, t Target) doctor.Result {
	paths, err := install.UserPaths(e.Getenv)
	if err != nil {
		return doctor.Fail(reinstall, "%v", err)
	}
	f, found, err := readClaude(paths.ClaudeSettings)
	switch {
	case err != nil:
		return doctor.Fail("fix the JSON of "+paths.ClaudeSettings+", then "+reinstall, "%s: %v", paths.ClaudeSettings, err)
	case !found:
		return doctor.Fail(reinstall, "%s does not exist", paths.ClaudeSettings)
	}
	if missing := userSettingsProblems(e, t, f); len(missing) > 0 {
		return doctor.Fail(reinstall, "%s: %s", paths.ClaudeSettings, strings.Join(missing, "; "))
	}
	if over := projectOverrides(e.WD); len(over) > 0 {
		return doctor.Warn("remove those keys from the project's settings, unless the project means to use other credentials", "the project in %s overrides %s", e.WD, strings.Join(over, ", "))
	}
	return doctor.Pass("%s selects profile %s on Bedrock and signs in through awsAuthRefresh", paths.ClaudeSettings, t.Name)
}

func userSettingsProblems(e Env, t Target, f claudeFile) []string {
	var out []string
	for k, want := range map[string]string{install.EnvUseBedrock: "1", install.EnvAWSProfile: t.Name, signin.EnvSignIn: signin.Defer} {
		if f.Env[k] != want {
			out = append(out, fmt.Sprintf("env.%s is %q, want %q", k, f.Env[k], want))
		}
	}
	if f.Env[install.EnvAWSRegion] == "" {
		out = append(out, "env."+install.EnvAWSRegion+" is not set")
	}
	if !strings.Contains(f.AWSAuthRefresh, e.Exe) || !strings.Contains(f.AWSAuthRefresh, signin.RefreshFlag) {
		out = append(out, fmt.Sprintf("awsAuthRefresh is %q, want this binary with %s", f.AWSAuthRefresh, signin.RefreshFlag))
	}
	if h := f.OtelHeadersHelper; h != "" && filepath.IsAbs(h) {
		if _, err := os.Stat(h); err != nil {
			out = append(out, "otelHeadersHelper "+h+" does not exist")
		}
	}
	slices.Sort(out)
	return out
}

// projectOverrides lists the keys a project's settings in dir set over the installed ones.
func projectOverrides(dir string) []string {
	var out []string
	for _, name := range []string{"settings.json", "settings.local.json"} {
		path := filepath.Join(dir, ".claude", name)
		f, found, err := readClaude(path)
		if !found || err != nil {
			continue
		}
		for _, h := range append(f.Helpers(), [2]string{"awsCredentialExport", f.AWSCredentialExport}) {
			if h[1] != "" {
				out = append(out, path+" "+h[0])
			}
		}
		for _, k := range []string{install.EnvAWSProfile, install.EnvAWSRegion, install.EnvUseBedrock, signin.EnvSignIn} {
			if _, ok := f.Env[k]; ok {
				out = append(out, path+" env."+k)
			}
		}
	}
	slices.Sort(out)
	return out
}
