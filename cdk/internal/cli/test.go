package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/smoke"
	"ccwb.dev/contract/distribution"
)

func (a *app) testCmd() *cobra.Command {
	var (
		pkgDir, dist, model, region string
		invoke, asJSON              bool
	)
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Check a built package against the deployment: credentials, then Bedrock",
		Long: `test runs the package's own credential-process for this machine (signing in through the
browser if needed), then calls bedrock:ListFoundationModels, and with --invoke one small
InvokeModel, with the credentials it got. Default package: the newest under dist/<profile>/.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := a.load()
			if err != nil {
				return err
			}
			if pkgDir == "" {
				if pkgDir, err = newestPackage(a.abs(filepath.Join(dist, d.Client.ProfileName))); err != nil {
					return err
				}
			}
			if model == "" {
				model = d.Bedrock.Model
			}
			if region == "" {
				region = bedrockRegion(d)
			}
			fmt.Fprintf(a.stderr, "testing %s (profile %s, Bedrock in %s)\n", pkgDir, d.Client.ProfileName, region)
			report, err := smoke.Run(cmd.Context(), smoke.Options{PackageDir: pkgDir, Profile: d.Client.ProfileName, Region: region, Invoke: invoke, Model: model})
			if err != nil {
				return err
			}
			if asJSON {
				if err := a.writeJSON(report); err != nil {
					return err
				}
			} else {
				report.WriteText(a.stdout)
			}
			if !report.OK() {
				return fmt.Errorf("the package does not work yet: see the failed step above")
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&pkgDir, "package", "", "package directory (default: the newest under <dist>/<profile>/)")
	f.StringVar(&dist, "dist", defaultDist, "where ccwb package put the packages, relative to the project")
	f.BoolVar(&invoke, "invoke", false, "also send one small request to the model (costs a few tokens)")
	f.StringVar(&model, "model", "", "model to check and invoke (default: bedrock.model of the settings)")
	f.StringVar(&region, "region", "", "Bedrock region (default: the first of bedrock.regions)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// newestPackage returns the newest package directory under dir (names are UTC times, so
// they sort by age); a directory without SHA256SUMS (ccwb mdm's output) is no package.
func newestPackage(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("no package in %s: build one with `ccwb package`, or pass --package", dir)
	}
	var names []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, e.Name(), distribution.SumsFile)); e.IsDir() && e.Name()[0] != '.' && err == nil {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return "", fmt.Errorf("no package in %s: build one with `ccwb package`, or pass --package", dir)
	}
	slices.Sort(names)
	return filepath.Join(dir, names[len(names)-1]), nil
}
