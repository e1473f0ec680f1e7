package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

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
// the stacks named to deploy safely and whole (package preflight): an existing OIDC
// provider's client IDs (with the auth stack), and the model invocation logging of every
// Region whose quota collector is named. Every problem is reported at once.
func (a *app) preflight(cmd *cobra.Command, d *settings.Deployment, names []string) error {
	oidc := d.Federation.ExistingOIDCProviderARN != "" && slices.Contains(names, d.StackName(stacks.Auth))
	var collectors []settings.QuotaCollector
	for _, c := range d.QuotaCollectors() {
		if slices.Contains(names, c.Stack) {
			collectors = append(collectors, c)
		}
	}
	if !oidc && len(collectors) == 0 {
		return nil
	}
	cfg, err := awsConfig(cmd.Context(), d.Region)
	if err != nil {
		return err
	}
	var errs []error
	if oidc {
		errs = append(errs, preflight.ExistingOIDCProvider(cmd.Context(), iam.NewFromConfig(cfg), d))
	}
	if len(collectors) > 0 {
		errs = append(errs, preflight.InvocationLogging(cmd.Context(), preflight.NewClients(cfg), d, collectors).Err())
	}
	return errors.Join(errs...)
}

func (a *app) deployCmd() *cobra.Command {
	var dryRun bool
	var approval string
	cmd := &cobra.Command{
		Use:   "deploy [stack...]",
		Short: "Deploy the stacks (all, or those named: " + strings.Join(stacks.Parts, ", ") + ") in dependency order",
		Long: `deploy runs the project's pinned CDK CLI once per stack, in dependency order, with the
settings file selected by -c ccwb:settings=..., and collects every stack's outputs into the
outputs file that ccwb package reads. --dry-run prints the commands instead.

Before the first stack it checks, with your AWS credentials, what would make a stack fail
or be unsafe, and stops with every problem found:
  - with federation.existing_oidc_provider_arn and the auth stack: that provider
    (iam:GetOpenIDConnectProvider) must list exactly this client with cognito federation,
    or hold it with direct federation;
  - with quota.enabled, in every Region a named quota stack meters: its Bedrock model
    invocation logging (bedrock:GetModelInvocationLoggingConfiguration) must be none or
    ccwb's own with "create" (cloudformation:ListStackResources tells ccwb's), or log to
    quota.existing_log_groups[region] with "join", a group that exists with a free
    subscription-filter slot (logs:DescribeSubscriptionFilters).
--dry-run checks nothing and calls no AWS API.`,
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
			if err := a.preflight(cmd, d, names); err != nil {
				return err
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
