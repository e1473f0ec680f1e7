package cli

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/spf13/cobra"

	admindoctor "ccwb.dev/cdk/internal/doctor"
	"ccwb.dev/cdk/internal/preflight"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/client/doctor"
	report "ccwb.dev/contract/doctor"
)

// errDoctorFailed makes ccwb exit 1 after the report, which says what failed.
var errDoctorFailed = errors.New("a check failed (see above)")

func (a *app) doctorCmd() *cobra.Command {
	var (
		asJSON bool
		bundle string
	)
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the deployment end to end: settings, stacks, outputs file, IdP, IAM, Bedrock model access, collector, quota logging",
		Long: `doctor runs one check per link of the deployment and prints one line each: PASS, WARN or
FAIL, what it found and the fix. Network checks take at most a few seconds each. It exits 1
when a check fails. --bundle writes a support bundle (zip) with secrets removed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := a.doctorEnv(cmd)
			if err != nil {
				return err
			}
			r := doctor.NewReport("ccwb doctor", a.version, admindoctor.Run(cmd.Context(), e))
			write := doctor.WriteText
			if asJSON {
				write = doctor.WriteJSON
			}
			if err := write(a.stdout, r); err != nil {
				return err
			}
			if bundle != "" {
				if err := doctor.WriteBundle(bundle, r, a.doctorFiles(), doctor.Redactor{}); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "wrote the support bundle %s (secrets removed; look inside before you send it)\n", bundle)
			}
			if r.Failed() {
				return errDoctorFailed
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().StringVar(&bundle, "bundle", "", "also write a support bundle (zip, secrets removed) to this file")
	return cmd
}

// doctorEnv loads what the checks need; invalid settings are the first check's finding.
func (a *app) doctorEnv(cmd *cobra.Command) (admindoctor.Env, error) {
	e := admindoctor.Env{OutputsPath: a.outputsPath, HTTP: &http.Client{Timeout: report.ProbeTimeout}, Now: time.Now}
	e.Settings, e.SettingsErr = a.load()
	if e.Settings == nil {
		return e, nil
	}
	var err error
	if e.Outputs, err = stackoutputs.ReadIfExists(a.abs(a.outputsPath)); err != nil {
		return e, err
	}
	cfg, err := awsConfig(cmd.Context(), e.Settings.Region)
	if err != nil {
		return e, err
	}
	e.CloudFormation, e.IAM = regional(cfg, e.Settings), iam.NewFromConfig(cfg)
	e.Bedrock = func(region string) admindoctor.Bedrock {
		return bedrock.NewFromConfig(cfg, func(o *bedrock.Options) { o.Region = region })
	}
	e.Logging = preflight.NewClients(cfg)
	return e, nil
}

// doctorFiles are the settings and outputs files, for the support bundle.
func (a *app) doctorFiles() map[string][]byte {
	out := map[string][]byte{}
	for name, path := range map[string]string{"settings.json": a.settingsPath, "outputs.json": a.outputsPath} {
		if b, err := os.ReadFile(a.abs(path)); err == nil {
			out[name] = b
		}
	}
	return out
}
