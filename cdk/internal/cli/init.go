package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/wizard"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/strictjson"
)

func (a *app) initCmd() *cobra.Command {
	var nonInteractive, accessible bool
	answers := map[string]*string{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create or update the deployment settings (interactive wizard, or flags for CI)",
		Long: `init asks what a deployment needs and writes the settings file. Every question has a
flag; with --non-interactive only the flags (and the current file) are used. Re-running shows
the current values as defaults.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := a.abs(a.settingsPath)
			d, existed, err := readForEdit(path)
			if err != nil {
				return err
			}
			for _, q := range wizard.Questions {
				if cmd.Flags().Changed(q.Flag) {
					if err := q.Answer(d, *answers[q.Flag]); err != nil {
						return err
					}
				}
			}
			if !nonInteractive {
				if !accessible && !isTerminal(a.stdin) {
					return errors.New("stdin is not a terminal: pass --non-interactive with a flag per setting (see --help), or --accessible to answer line by line")
				}
				if err := wizard.Run(cmd.Context(), d, wizard.Options{Accessible: accessible, In: a.stdin, Out: a.stderr}); err != nil {
					return err
				}
			}
			if err := settings.Write(path, d); err != nil {
				return fmt.Errorf("%w\nnothing written; fix the answers (flags: ccwb init --help)", err)
			}
			verb := "created"
			if existed {
				verb = "updated"
			}
			fmt.Fprintf(a.stderr, "%s %s\nnext: ccwb deploy --settings %s\n", verb, path, a.settingsPath)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&nonInteractive, "non-interactive", false, "ask nothing: take the flags and the current settings file")
	f.BoolVar(&accessible, "accessible", false, "ask line by line instead of the full-screen form (screen readers, scripts)")
	for _, q := range wizard.Questions {
		v := new(string)
		answers[q.Flag] = v
		usage := q.Title
		if q.Help != "" {
			usage += " (" + q.Help + ")"
		}
		f.StringVar(v, q.Flag, "", usage)
		if q.Kind == wizard.YesNo {
			f.Lookup(q.Flag).NoOptDefVal = "true"
		}
	}
	return cmd
}

// readForEdit reads the settings as written (no defaults: what the user left out stays
// out), or starts a new deployment from the defaults.
func readForEdit(path string) (*settings.Deployment, bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newDeployment(), false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read settings: %w", err)
	}
	var d settings.Deployment
	if err := strictjson.Unmarshal(data, &d); err != nil {
		return nil, false, fmt.Errorf("%s: %w; fix the JSON or move the file away to start over", path, err)
	}
	return &d, true, nil
}

// newDeployment is where a new deployment starts: the defaults of the questions init asks
// filled in (so the wizard shows them), every other field left to its default.
func newDeployment() *settings.Deployment {
	d := &settings.Deployment{Name: "ccwb"}
	d.Federation.Type = federation.Direct
	d.Federation.SessionDuration = settings.ShortDuration(federation.DefaultSessionDuration)
	d.Client.ProfileName = settings.DefaultProfileName
	d.Client.CredentialStorage = config.StorageKeyring
	d.Client.CallbackPort = config.DefaultCallbackPort
	return d
}

func isTerminal(r any) bool {
	f, ok := r.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(f.Fd())
}
