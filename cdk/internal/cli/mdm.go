package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/client/packager"
	"ccwb.dev/client/packager/mdm"
	"ccwb.dev/contract/distribution"
)

func (a *app) mdmCmd() *cobra.Command {
	var pkgDir, dist, out string
	cmd := &cobra.Command{
		Use:   "mdm",
		Short: "Write what an MDM pushes: Claude Code managed settings, Claude Desktop's Bedrock settings, install scripts",
		Long: `mdm writes, from the deployment's settings and stack outputs, into --out (default
dist/<profile>/mdm/):

  claude-code/     managed-settings.json (macOS and Linux, Windows), the same settings as a
                   configuration profile (com.anthropic.claudecode.mobileconfig) and as a
                   registry file (ClaudeCode.reg: HKLM\SOFTWARE\Policies\ClaudeCode, Settings)
  claude-desktop/  Claude Desktop's third-party inference on Bedrock through the AWS profile
                   the installer writes: .mobileconfig, Claude.reg, claude-desktop.json
  scripts/         install-macos.sh (Jamf: runs install.sh as the console user),
                   install-windows.ps1 and detect-windows.ps1 (Intune, user context)

The scripts install the package --package names (default: the newest under dist/<profile>/),
whose VERSION the detection rules compare. Where each file goes: docs/platform/mdm.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := a.load()
			if err != nil {
				return err
			}
			outs, err := stackoutputs.Read(a.abs(a.outputsPath))
			if err != nil {
				return err
			}
			if pkgDir == "" {
				if pkgDir, err = newestPackage(filepath.Join(a.abs(dist), d.Client.ProfileName)); err != nil {
					return err
				}
			}
			in, err := mdmInput(d, outs, pkgDir)
			if err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join(dist, d.Client.ProfileName, "mdm")
			}
			return a.writeMDM(a.abs(out), in)
		},
	}
	f := cmd.Flags()
	f.StringVar(&pkgDir, "package", "", "the package the install scripts install (default: the newest under --dist/<profile>/)")
	f.StringVar(&dist, "dist", defaultDist, "where ccwb package wrote packages, relative to the project")
	f.StringVar(&out, "out", "", "output directory (default: <dist>/<profile>/mdm)")
	return cmd
}

// mdmInput gathers one deployment's MDM input: the end-user profile from the stack outputs
// (the one config.json names, so the installer's AWS profile), the managed settings the
// packager writes, the package's version.
func mdmInput(d *settings.Deployment, outs stackoutputs.Outputs, pkgDir string) (mdm.Input, error) {
	cfg, err := stackoutputs.ConfigFile(d, outs)
	if err != nil {
		return mdm.Input{}, err
	}
	name, profile, err := cfg.Profile("")
	if err != nil {
		return mdm.Input{}, err
	}
	version, err := os.ReadFile(filepath.Join(pkgDir, distribution.VersionFile))
	if err != nil {
		return mdm.Input{}, fmt.Errorf("the package %s has no %s: build it with this ccwb (`ccwb package`)", pkgDir, distribution.VersionFile)
	}
	claude := claudeSettings(d)
	helper := profile.OTelEndpoint != ""
	unix, err := packager.ManagedSettings(claude, name, profile, helper, packager.MDMUnix)
	if err != nil {
		return mdm.Input{}, err
	}
	windows, err := packager.ManagedSettings(claude, name, profile, helper, packager.MDMWindows)
	if err != nil {
		return mdm.Input{}, err
	}
	return mdm.Input{
		Name: d.Name, Profile: name, Version: strings.TrimSpace(string(version)),
		ManagedUnix: unix, ManagedWindows: windows,
		Desktop: mdm.Desktop{Profile: name, Region: bedrockRegion(d), Models: []string{d.Bedrock.Model, d.Bedrock.SmallFastModel}},
	}, nil
}

func (a *app) writeMDM(dir string, in mdm.Input) error {
	files, err := mdm.Files(in)
	if err != nil {
		return err
	}
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("mdm: %w", err)
		}
		if err := os.WriteFile(path, f.Data, f.Mode); err != nil {
			return fmt.Errorf("mdm: %w", err)
		}
		fmt.Fprintf(a.stderr, "  %8d  %s\n", len(f.Data), f.Path)
	}
	fmt.Fprintf(a.stderr, "MDM files for %s %s; where each goes: docs/platform/mdm.md\n", in.Profile, in.Version)
	fmt.Fprintln(a.stdout, dir)
	return nil
}
