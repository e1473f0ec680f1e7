package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/deployer"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/internal/stackstatus"
)

func (a *app) statusCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the deployed stacks, their state and outputs, and whether the outputs file is current",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := a.load()
			if err != nil {
				return err
			}
			cf, err := a.cloudFormation(cmd, d)
			if err != nil {
				return err
			}
			file, err := stackoutputs.ReadIfExists(a.abs(a.outputsPath))
			if err != nil {
				return err
			}
			report, err := stackstatus.Check(cmd.Context(), cf, deployer.Stacks(d), a.outputsPath, file)
			if err != nil {
				return fmt.Errorf("%w\n(check your AWS credentials: ccwb uses the AWS CLI's configuration, e.g. AWS_PROFILE)", err)
			}
			if asJSON {
				return a.writeJSON(report)
			}
			return report.WriteText(a.stdout)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
