// Package deployer runs the pinned CDK CLI for `ccwb deploy` and `ccwb destroy`: one
// synth of the deployment (its settings file selected by CDK context), then one stack at a
// time from that cloud assembly in dependency order (reverse order to destroy), collecting
// every stack's outputs into one outputs file.
package deployer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/stacks"
)

// Stacks returns the stack names a deployment has, in dependency order.
func Stacks(d *settings.Deployment) []string {
	var out []string
	for _, p := range stacks.Parts {
		switch {
		case p == stacks.Quota: // <name>-quota, then the collector of each other source Region
			for _, c := range d.QuotaCollectors() {
				out = append(out, c.Stack)
			}
		case (p == stacks.Monitoring && !d.Monitoring.Enabled) || (p == stacks.Analytics && !d.Analytics.Enabled) ||
			(p == stacks.Distribution && !d.Distribution.Enabled):
		default:
			out = append(out, d.StackName(p))
		}
	}
	return out
}

// Select returns the requested stacks (by part, "auth", or by name, "ccwb-auth") in
// dependency order; none requested means all.
func Select(d *settings.Deployment, requested []string) ([]string, error) {
	all := Stacks(d)
	if len(requested) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, r := range requested {
		name := r
		if !strings.HasPrefix(r, d.Name+"-") {
			name = d.StackName(r)
		}
		if !slices.Contains(all, name) {
			return nil, fmt.Errorf("no stack %q in deployment %s: choose from %s (every part but auth exists only when enabled in the settings)", r, d.Name, strings.Join(all, ", "))
		}
		want[name] = true
	}
	var out []string
	for _, s := range all {
		if want[s] {
			out = append(out, s)
		}
	}
	return out, nil
}

// Runner runs the CDK CLI.
type Runner struct {
	// ProjectDir holds cdk.json and node_modules.
	ProjectDir string
	// SettingsPath is passed as -c ccwb:settings=...: relative to ProjectDir, or absolute.
	SettingsPath string
	// OutputsFile collects the outputs of every deployed stack.
	OutputsFile string
	// RequireApproval is cdk's --require-approval (never, any-change, broadening); "" keeps cdk's default.
	RequireApproval string
	Stdout, Stderr  io.Writer
	// Exec runs one command; default: exec in ProjectDir with Env.
	Exec func(ctx context.Context, argv []string) error
}

// CDK is the pinned CDK CLI of the project.
func (r *Runner) CDK() string { return filepath.Join(r.ProjectDir, "node_modules", ".bin", "cdk") }

// partialOutputs is where one `cdk deploy` writes its stack's outputs before they are
// merged into OutputsFile (cdk overwrites its outputs file with the stacks of one run).
func (r *Runner) partialOutputs() string { return r.OutputsFile + ".partial" }

// Assembly is the cloud assembly the stacks are deployed from: synthesized once per run,
// so every stack of the run comes from the same settings and code.
func (r *Runner) Assembly() string { return filepath.Join(r.ProjectDir, "cdk.out") }

// SynthCommand synthesizes every stack of the deployment (cdk-nag included) into Assembly.
func (r *Runner) SynthCommand() []string {
	return []string{r.CDK(), "synth", "--no-notices", "--quiet", "-c", settings.ContextKey + "=" + r.SettingsPath, "--output", r.Assembly()}
}

// DeployCommand is the command line deploying one stack from the assembly.
func (r *Runner) DeployCommand(stack string) []string {
	argv := []string{r.CDK(), "deploy", "--no-notices", "--app", r.Assembly(), "--exclusively", "--outputs-file", r.partialOutputs()}
	if r.RequireApproval != "" {
		argv = append(argv, "--require-approval", r.RequireApproval)
	}
	return append(argv, stack)
}

// DestroyCommand is the command line destroying one stack (ccwb asks for confirmation itself).
func (r *Runner) DestroyCommand(stack string) []string {
	return []string{r.CDK(), "destroy", "--no-notices", "--app", r.Assembly(), "--exclusively", "--force", stack}
}

// Plan returns the commands Deploy (or Destroy) runs, for --dry-run.
func (r *Runner) Plan(stacks []string, destroy bool) [][]string {
	out := [][]string{r.SynthCommand()}
	if destroy {
		for _, s := range slices.Backward(stacks) {
			out = append(out, r.DestroyCommand(s))
		}
		return out
	}
	for _, s := range stacks {
		out = append(out, r.DeployCommand(s))
	}
	return out
}

func (r *Runner) synth(ctx context.Context) error {
	fmt.Fprintf(r.Stderr, "==> synthesizing the deployment into %s\n", r.Assembly())
	if err := r.exec(ctx, r.SynthCommand()); err != nil {
		return fmt.Errorf("synth: %w (fix the settings or the error above; nothing was deployed)", err)
	}
	return nil
}

// Deploy deploys the stacks in the given (dependency) order, merging each stack's
// outputs into OutputsFile as soon as it is deployed, so a later failure keeps them.
func (r *Runner) Deploy(ctx context.Context, stacks []string) error {
	if err := r.checkCDK(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(r.OutputsFile), 0o755); err != nil {
		return fmt.Errorf("outputs directory: %w", err)
	}
	if err := r.synth(ctx); err != nil {
		return err
	}
	for i, s := range stacks {
		fmt.Fprintf(r.Stderr, "==> [%d/%d] deploying %s\n", i+1, len(stacks), s)
		os.Remove(r.partialOutputs())
		if err := r.exec(ctx, r.DeployCommand(s)); err != nil {
			return fmt.Errorf("deploy %s: %w (the stacks before it are deployed; fix the error and run `ccwb deploy` again)", s, err)
		}
		partial, err := stackoutputs.Read(r.partialOutputs())
		if err != nil {
			return fmt.Errorf("deploy %s: cdk wrote no outputs: %w", s, err)
		}
		if err := r.mergeOutputs(func(all stackoutputs.Outputs) {
			for name, kv := range partial {
				all[name] = kv
			}
		}); err != nil {
			return err
		}
		os.Remove(r.partialOutputs())
	}
	fmt.Fprintf(r.Stderr, "==> outputs in %s\n", r.OutputsFile)
	return nil
}

// Destroy destroys the stacks in reverse order and drops them from OutputsFile.
func (r *Runner) Destroy(ctx context.Context, stacks []string) error {
	if err := r.checkCDK(); err != nil {
		return err
	}
	if err := r.synth(ctx); err != nil {
		return err
	}
	for i, s := range slices.Backward(stacks) {
		fmt.Fprintf(r.Stderr, "==> [%d/%d] destroying %s\n", len(stacks)-i, len(stacks), s)
		if err := r.exec(ctx, r.DestroyCommand(s)); err != nil {
			return fmt.Errorf("destroy %s: %w", s, err)
		}
		if err := r.mergeOutputs(func(all stackoutputs.Outputs) { delete(all, s) }); err != nil {
			return err
		}
	}
	return nil
}

// Confirm asks on in whether to go ahead; only "y" or "yes" is yes.
func Confirm(in io.Reader, out io.Writer, question string) bool {
	fmt.Fprintf(out, "%s [y/N] ", question)
	line, _ := bufio.NewReader(in).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

func (r *Runner) checkCDK() error {
	if r.Exec != nil {
		return nil
	}
	if _, err := os.Stat(r.CDK()); err != nil {
		return fmt.Errorf("the pinned CDK CLI is missing (%s): run `make setup` (npm ci) in %s", r.CDK(), r.ProjectDir)
	}
	return nil
}

func (r *Runner) exec(ctx context.Context, argv []string) error {
	if r.Exec != nil {
		return r.Exec(ctx, argv)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = r.ProjectDir
	cmd.Env = Env(os.Environ(), r.ProjectDir)
	cmd.Stdout, cmd.Stderr, cmd.Stdin = r.Stdout, r.Stderr, os.Stdin
	return cmd.Run()
}

// Env is the CDK CLI's environment, as the Makefile sets it: the project's Node and CDK
// first on PATH, jsii's package cache inside the project, no telemetry or version check.
func Env(base []string, projectDir string) []string {
	set := map[string]string{
		"PATH":                      filepath.Join(projectDir, "node_modules", ".bin") + string(os.PathListSeparator) + lookup(base, "PATH"),
		"CDK_DISABLE_CLI_TELEMETRY": "1",
		"CDK_DISABLE_VERSION_CHECK": "1",
		"JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
		"JSII_RUNTIME_PACKAGE_CACHE_ROOT":            filepath.Join(projectDir, ".cache", "jsii"),
	}
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok {
			env = append(env, kv)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(set)) {
		env = append(env, k+"="+set[k])
	}
	return env
}

func lookup(env []string, key string) string {
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

// mergeOutputs applies change to the outputs file (missing: empty) and writes it back.
func (r *Runner) mergeOutputs(change func(stackoutputs.Outputs)) error {
	all, err := stackoutputs.ReadIfExists(r.OutputsFile)
	if err != nil {
		return err
	}
	if all == nil {
		all = stackoutputs.Outputs{}
	}
	change(all)
	out, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(r.OutputsFile), 0o755); err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	tmp := r.OutputsFile + ".tmp"
	if err := os.WriteFile(tmp, append(out, '\n'), 0o644); err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	if err := os.Rename(tmp, r.OutputsFile); err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	return nil
}
