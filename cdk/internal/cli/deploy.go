package cli

import (
	"fmt"
	"slices"
	"strings"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/deployer"
	"ccwb.dev/cdk/internal/preflight"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/stacks"
)

func (a *app) runner(requireApproval string) *deployer.Runner {
	return &deployer.Runner{
		ProjectDir: a.project, SettingsPath: a.settingsPath, OutputsFile: a.abs(a.outputsPath),
		RequireApproval: requireApproval, Stdout: a.stderr, Stderr: a.stderr,
	}
}

// preflight checks, with the deploying credentials, what the account must already be for
// the settings to be safe: an existing OIDC provider's client IDs (package preflight).
func (a *app) preflight(cmd *cobra.Command, d *settings.Deployment) error {
	if d.Federation.ExistingOIDCProviderARN == "" {
		return nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(cmd.Context(), awsconfig.WithRegion(d.Region))
	if err != nil {
		return fmt.Errorf("load AWS configuration: %w", err)
	}
	return preflight.ExistingOIDCProvider(cmd.Context(), iam.NewFromConfig(cfg), d)
}

func (a *app) deployCmd() *cobra.Command {
	var dryRun bool
	var approval string
	cmd := &cobra.Command{
		Use:   "deploy [stack...]",
		Short: "Deploy the stacks (all, or those named: auth, monitoring, analytics) in dependency order",
		Long: `deploy runs the project's pinned CDK CLI once per stack, in dependency order, with the
settings file selected by -c ccwb:settings=..., and collects every stack's outputs into the
outputs file that ccwb package reads. --dry-run prints the commands instead.

Before deploying the auth stack with federation.existing_oidc_provider_arn, it reads that
provider (iam:GetOpenIDConnectProvider) and refuses a provider whose client-ID list is not
exactly this client with cognito federation, or lacks it with direct federation.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, names, err := a.stacks(args)
			if err != nil {
				return err
			}
			r := a.runner(approval)
			if dryRun {
				a.printPlan(r.Plan(names, false))
				return nil
			}
			if slices.Contains(names, d.StackName(stacks.Auth)) {
				if err := a.preflight(cmd, d); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.stderr, "deploying %s of deployment %s to %s\n", strings.Join(names, ", "), d.Name, d.Region)
			if err := r.Deploy(cmd.Context(), names); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "next: ccwb package --settings %s\n", a.settingsPath)
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the commands, run nothing")
	cmd.Flags().StringVar(&approval, "require-approval", "", "cdk --require-approval: never (CI), any-change or broadening (cdk's default)")
	return cmd
}

func (a *app) destroyCmd() *cobra.Command {
	var dryRun, yes bool
	cmd := &cobra.Command{
		Use:   "destroy [stack...]",
		Short: "Destroy the stacks (all, or those named) in reverse dependency order",
		RunE: func(cmd *cobra.Command, args []string) error {
			d, names, err := a.stacks(args)
			if err != nil {
				return err
			}
			r := a.runner("")
			if dryRun {
				a.printPlan(r.Plan(names, true))
				return nil
			}
			if !yes && !deployer.Confirm(a.stdin, a.stderr, fmt.Sprintf("Destroy %s of deployment %s in %s? Users lose access; retained data (logs, analytics bucket) stays.", strings.Join(names, ", "), d.Name, d.Region)) {
				return fmt.Errorf("destroy cancelled: nothing changed")
			}
			return r.Destroy(cmd.Context(), names)
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the commands, run nothing")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func (a *app) stacks(args []string) (*settings.Deployment, []string, error) {
	d, err := a.load()
	if err != nil {
		return nil, nil, err
	}
	stacks, err := deployer.Select(d, args)
	return d, stacks, err
}

// printPlan prints commands one a line, quoted for a POSIX shell.
func (a *app) printPlan(cmds [][]string) {
	for _, argv := range cmds {
		quoted := make([]string, len(argv))
		for i, s := range argv {
			quoted[i] = shellQuote(s)
		}
		fmt.Fprintln(a.stdout, strings.Join(quoted, " "))
	}
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,@+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
