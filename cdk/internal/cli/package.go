package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/deployer"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/client/packager"
)

func (a *app) packageCmd() *cobra.Command {
	var (
		fromCloudFormation bool
		dist, version      string
		jobs               int
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
			distDir := a.abs(dist)
			if err := os.MkdirAll(distDir, 0o755); err != nil {
				return err
			}
			build, err := os.MkdirTemp(distDir, ".compile-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(build)
			start := time.Now()
			fmt.Fprintf(a.stderr, "cross-compiling the client (%d targets, %d at a time)\n", len(packager.Targets), jobs)
			bins, err := packager.Compile(cmd.Context(), packager.CompileOptions{
				ModuleDir: filepath.Join(a.project, "client"), Version: version, OutDir: build, Jobs: jobs, Progress: a.stderr,
			})
			if err != nil {
				return err
			}
			pkg, err := packager.Assemble(bins, packager.Options{Config: cfg, Claude: claudeSettings(d), DistDir: distDir, Now: time.Now()})
			if err != nil {
				return err
			}
			for _, f := range pkg.Files {
				fmt.Fprintf(a.stderr, "  %10d  %s\n", f.Size, f.Path)
			}
			fmt.Fprintf(a.stderr, "built in %s; give your users the directory (or an archive of it):\n", time.Since(start).Round(100*time.Millisecond))
			fmt.Fprintln(a.stdout, pkg.Dir)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fromCloudFormation, "from-cloudformation", false, "read the stack outputs from CloudFormation instead of the outputs file")
	f.StringVar(&dist, "dist", "dist", "where packages go, relative to the project")
	f.StringVar(&version, "client-version", a.version, "version stamped into the client binaries")
	f.IntVar(&jobs, "jobs", runtime.NumCPU(), "targets compiled at once")
	return cmd
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

// describeOutputs reads the deployed stacks' outputs; a stack not deployed is left out.
func describeOutputs(cmd *cobra.Command, cf *cloudformation.Client, stacks []string) (stackoutputs.Outputs, error) {
	outs := stackoutputs.Outputs{}
	for _, name := range stacks {
		res, err := cf.DescribeStacks(cmd.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		if err != nil {
			return nil, fmt.Errorf("describe stack %s: %w", name, err)
		}
		for _, s := range res.Stacks {
			kv := map[string]string{}
			for _, o := range s.Outputs {
				kv[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
			}
			outs[name] = kv
		}
	}
	return outs, nil
}
