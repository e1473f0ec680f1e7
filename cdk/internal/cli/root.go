// Package cli is the `ccwb` command line: one file a command, each a thin layer over the
// package that does the work (wizard, deployer, stackstatus, packager, smoke).
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/project"
)

// DefaultSettings is the settings file ccwb uses when --settings and CCWB_SETTINGS are unset.
const DefaultSettings = "settings/deployment.json"

// defaultDist is where ccwb package writes packages (--dist), relative to the project:
// dist/<profile>/<time>/.
const defaultDist = "dist"

// app is what every command shares: the project and the files of one deployment.
type app struct {
	version      string
	project      string // directory holding cdk.json
	settingsPath string // as given (relative to the project, or absolute)
	outputsPath  string
	stdin        io.Reader
	stdout       io.Writer
	stderr       io.Writer
}

// New returns the root command. version is ccwb's own, stamped into the packages it builds.
func New(version string, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	a := &app{version: version, stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "ccwb",
		Short:         "Claude Code with Amazon Bedrock: set up, deploy, package and test a deployment",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.resolve()
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	f := root.PersistentFlags()
	f.StringVar(&a.project, "project", "", "the ccwb project directory, holding cdk.json (default: the nearest one at or above the working directory)")
	f.StringVar(&a.settingsPath, "settings", envOr("CCWB_SETTINGS", DefaultSettings), "deployment settings file, relative to the project (env CCWB_SETTINGS)")
	f.StringVar(&a.outputsPath, "outputs-file", "", "stack outputs file (default: the settings file with .outputs.json)")
	root.AddCommand(a.initCmd(), a.deployCmd(), a.destroyCmd(), a.statusCmd(), a.packageCmd(), a.distributeCmd(), a.mdmCmd(), a.testCmd(), a.quotaCmd(), a.doctorCmd())
	return root
}

// Execute runs ccwb with the process's arguments and returns the exit code.
func Execute(ctx context.Context, version string) int {
	root := New(version, os.Stdin, os.Stdout, os.Stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ccwb:", err)
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// resolve finds the project and makes the file paths absolute.
func (a *app) resolve() error {
	if a.project == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		dir, err := findProject(wd)
		if err != nil {
			return err
		}
		a.project = dir
	}
	abs, err := filepath.Abs(a.project)
	if err != nil {
		return err
	}
	a.project = abs
	if !project.IsRoot(a.project) {
		return fmt.Errorf("%s is not a ccwb project (no %s): run ccwb inside the project or pass --project", a.project, project.Marker)
	}
	if a.outputsPath == "" {
		a.outputsPath = strings.TrimSuffix(a.settingsPath, ".json") + ".outputs.json"
	}
	return nil
}

func findProject(dir string) (string, error) {
	root, err := project.Root(dir)
	if err != nil {
		return "", fmt.Errorf("%w: run ccwb inside the ccwb project, or pass --project", err)
	}
	return root, nil
}

// abs makes a project-relative path absolute.
func (a *app) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(a.project, p)
}

// load reads the settings (defaults applied, validated).
func (a *app) load() (*settings.Deployment, error) {
	d, err := settings.Load(a.abs(a.settingsPath))
	var verr *settings.ValidationError
	if errors.As(err, &verr) {
		return nil, fmt.Errorf("%w\nfix %s, or re-run `ccwb init`", err, a.settingsPath)
	}
	return d, err
}

// writeJSON prints v on stdout as indented JSON: what --json asks for.
func (a *app) writeJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// bedrockRegion is where Claude Code calls Bedrock: the first Bedrock region, else the
// deployment region.
func bedrockRegion(d *settings.Deployment) string {
	if len(d.Bedrock.Regions) > 0 {
		return d.Bedrock.Regions[0]
	}
	return d.Region
}
