package cli

import (
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/deployer"
	"ccwb.dev/cdk/internal/signing"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/internal/stackstatus"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/client/packager"
)

func (a *app) packageCmd() *cobra.Command {
	var (
		fromCloudFormation, archive bool
		sign, noNotarize            bool
		dist, version               string
		jobs                        int
	)
	cmd := &cobra.Command{
		Use:   "package",
		Short: "Build the end-user package: binaries for macOS, Linux and Windows, config, installers",
		Long: `package reads the settings and the stack outputs (the outputs file ccwb deploy wrote, or
the deployed stacks with --from-cloudformation), cross-compiles the client for every platform,
and writes dist/<profile>/<time>/. It prints the package directory on stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := a.load()
			if err != nil {
				return err
			}
			var outs stackoutputs.Outputs
			if fromCloudFormation {
				cf, err := a.cloudFormation(cmd, d)
				if err != nil {
					return err
				}
				if outs, err = describeOutputs(cmd, cf, deployer.Stacks(d)); err != nil {
					return err
				}
			} else if outs, err = stackoutputs.Read(a.abs(a.outputsPath)); err != nil {
				return err
			}
			cfg, err := stackoutputs.ConfigFile(d, outs)
			if err != nil {
				return err
			}
			signer, err := a.signer(sign, noNotarize)
			if err != nil {
				return err
			}
			start := time.Now()
			pkg, err := packager.Build(cmd.Context(), packager.BuildOptions{
				ModuleDir: filepath.Join(a.project, "client"), Version: version, Jobs: jobs, Progress: a.stderr, Archive: archive,
				Package: packager.Options{Config: cfg, Claude: claudeSettings(d), DistDir: a.abs(dist), Now: time.Now(), Signer: signer},
			})
			if err != nil {
				return err
			}
			for _, f := range pkg.Files {
				fmt.Fprintf(a.stderr, "  %10d  %s\n", f.Size, f.Path)
			}
			if archive {
				fmt.Fprintf(a.stderr, "archives: %s (macOS, Linux), %s (Windows)\n", pkg.TarGz, pkg.Zip)
			}
			fmt.Fprintf(a.stderr, "mdm/*/%s: managed settings that pin the Bedrock and telemetry keys machine-wide; where each OS reads them: docs/platform/mdm.md\n", packager.ManagedSettingsFile)
			fmt.Fprintf(a.stderr, "built in %s; give your users the directory (or an archive of it):\n", time.Since(start).Round(100*time.Millisecond))
			fmt.Fprintln(a.stdout, pkg.Dir)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fromCloudFormation, "from-cloudformation", false, "read the stack outputs from CloudFormation instead of the outputs file")
	f.StringVar(&dist, "dist", defaultDist, "where packages go, relative to the project")
	f.BoolVar(&archive, "archive", false, "also write <package>.tar.gz and <package>.zip (reproducible) for distribution")
	f.StringVar(&version, "client-version", a.version, "version stamped into the client binaries")
	f.IntVar(&jobs, "jobs", runtime.NumCPU(), "targets compiled at once")
	f.BoolVar(&sign, "sign", false, "sign the binaries (Developer ID and notarization on macOS, Authenticode on Windows) and SHA256SUMS with the identities the CCWB_* variables name (docs/platform/signing.md)")
	f.BoolVar(&noNotarize, "no-notarize", false, "with --sign: do not submit the macOS binaries to Apple's notary service (Gatekeeper then blocks their first run)")
	return cmd
}

// signer loads the signing identities for --sign, or says plainly that the package will
// be unsigned.
func (a *app) signer(sign, noNotarize bool) (packager.Signer, error) {
	if !sign {
		if noNotarize {
			return nil, fmt.Errorf("--no-notarize applies only with --sign")
		}
		fmt.Fprintln(a.stderr, "warning: building an UNSIGNED package (no --sign): it says so in an UNSIGNED file, its README and its installers, which then remove the macOS quarantine flag and the Windows Mark-of-the-Web")
		return nil, nil
	}
	s, err := signing.FromEnv(!noNotarize)
	if err != nil {
		return nil, err
	}
	if noNotarize {
		fmt.Fprintln(a.stderr, "warning: --no-notarize: the macOS binaries are signed but not notarized; Gatekeeper blocks their first run")
	}
	return s, nil
}

// claudeSettings are the Claude Code settings a deployment's package carries.
func claudeSettings(d *settings.Deployment) packager.Claude {
	return packager.Claude{
		Region:             bedrockRegion(d),
		Model:              d.Bedrock.Model,
		SmallFastModel:     d.Bedrock.SmallFastModel,
		ResourceAttributes: map[string]string{"ccwb.deployment": d.Name},
	}
}

// describeOutputs reads the deployed stacks' outputs; a stack not deployed is left out
// (ConfigFile then names what is missing).
func describeOutputs(cmd *cobra.Command, cf stackstatus.API, stacks []string) (stackoutputs.Outputs, error) {
	report, err := stackstatus.Check(cmd.Context(), cf, stacks, "", nil)
	if err != nil {
		return nil, err
	}
	outs := stackoutputs.Outputs{}
	for _, s := range report.Stacks {
		if s.Exists {
			outs[s.Name] = s.Outputs
		}
	}
	return outs, nil
}
