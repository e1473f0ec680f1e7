package deployer

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
)

func deployment(monitoring, analytics bool) *settings.Deployment {
	d := &settings.Deployment{Name: "acme"}
	d.Monitoring.Enabled = monitoring
	d.Analytics.Enabled = analytics
	return d
}

func TestSelect(t *testing.T) {
	for name, c := range map[string]struct {
		d         *settings.Deployment
		requested []string
		want      []string
		err       string
	}{
		"all, in dependency order":   {deployment(true, true), nil, []string{"acme-auth", "acme-monitoring", "acme-analytics"}, ""},
		"disabled parts are absent":  {deployment(false, false), nil, []string{"acme-auth"}, ""},
		"parts and names, reordered": {deployment(true, true), []string{"analytics", "acme-auth"}, []string{"acme-auth", "acme-analytics"}, ""},
		"unknown":                    {deployment(true, false), []string{"analytics"}, nil, `no stack "analytics" in deployment acme: choose from acme-auth, acme-monitoring`},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Select(c.d, c.requested)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("got %v (%v), want %v", got, err, c.want)
			}
		})
	}
}

// fakeCDK records the commands and, for deploy, writes the stack's outputs as cdk does.
type fakeCDK struct {
	ran  [][]string
	fail string
}

func (f *fakeCDK) exec(_ context.Context, argv []string) error {
	f.ran = append(f.ran, argv)
	stack := argv[len(argv)-1]
	if argv[1] == "synth" {
		stack = "synth"
	}
	if stack == f.fail {
		return errors.New("exit status 1")
	}
	if argv[1] == "deploy" {
		file := argv[slices.Index(argv, "--outputs-file")+1]
		data, _ := json.Marshal(map[string]map[string]string{stack: {"Out": stack + "-value"}})
		return os.WriteFile(file, data, 0o644)
	}
	return nil
}

func runner(t *testing.T, f *fakeCDK) *Runner {
	dir := t.TempDir()
	return &Runner{
		ProjectDir: "/proj", SettingsPath: "settings/acme.json", OutputsFile: filepath.Join(dir, "out", "acme.outputs.json"),
		RequireApproval: "never", Stdout: io.Discard, Stderr: io.Discard, Exec: f.exec,
	}
}

func TestDeployThenDestroy(t *testing.T) {
	f := &fakeCDK{}
	r := runner(t, f)
	stacks := Stacks(deployment(true, true))
	if err := r.Deploy(context.Background(), stacks); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"/proj/node_modules/.bin/cdk", "synth", "--no-notices", "--quiet", "-c", "ccwb:settings=settings/acme.json", "--output", "/proj/cdk.out"}}
	for _, s := range stacks {
		want = append(want, []string{"/proj/node_modules/.bin/cdk", "deploy", "--no-notices", "--app", "/proj/cdk.out", "--exclusively", "--outputs-file", r.OutputsFile + ".partial", "--require-approval", "never", s})
	}
	if !reflect.DeepEqual(f.ran, want) {
		t.Fatalf("ran\n%v\nwant\n%v", f.ran, want)
	}
	if !reflect.DeepEqual(r.Plan(stacks, false), want) {
		t.Fatal("Plan (the dry run) differs from what Deploy runs")
	}
	all, err := stackoutputs.Read(r.OutputsFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all["acme-monitoring"]["Out"] != "acme-monitoring-value" {
		t.Fatalf("outputs = %v, want every stack's", all)
	}
	if _, err := os.Stat(r.OutputsFile + ".partial"); !os.IsNotExist(err) {
		t.Error("partial outputs file left behind")
	}

	// Redeploying one stack keeps the others' outputs.
	if err := r.Deploy(context.Background(), []string{"acme-monitoring"}); err != nil {
		t.Fatal(err)
	}
	if all, _ := stackoutputs.Read(r.OutputsFile); len(all) != 3 {
		t.Fatalf("outputs after a one-stack deploy = %v", all)
	}

	f.ran = nil
	if err := r.Destroy(context.Background(), stacks[1:]); err != nil {
		t.Fatal(err)
	}
	if f.ran[0][1] != "synth" {
		t.Fatalf("destroy did not synthesize first: %v", f.ran[0])
	}
	if got := []string{f.ran[1][len(f.ran[1])-1], f.ran[2][len(f.ran[2])-1]}; !slices.Equal(got, []string{"acme-analytics", "acme-monitoring"}) {
		t.Fatalf("destroy order %v, want reverse dependency order", got)
	}
	if !slices.Contains(f.ran[1], "--force") || f.ran[1][1] != "destroy" {
		t.Fatalf("destroy command %v", f.ran[1])
	}
	if all, _ := stackoutputs.Read(r.OutputsFile); len(all) != 1 || all["acme-auth"] == nil {
		t.Fatalf("outputs after destroy = %v, want only acme-auth", all)
	}
}

func TestDeployStopsAtTheFirstFailure(t *testing.T) {
	f := &fakeCDK{fail: "acme-monitoring"}
	r := runner(t, f)
	err := r.Deploy(context.Background(), Stacks(deployment(true, true)))
	if err == nil || !strings.Contains(err.Error(), "deploy acme-monitoring") {
		t.Fatalf("error = %v", err)
	}
	if len(f.ran) != 3 {
		t.Fatalf("ran %d commands after a failure, want synth and 2 deploys", len(f.ran))
	}
	if all, _ := stackoutputs.Read(r.OutputsFile); all["acme-auth"] == nil {
		t.Fatal("the deployed stack's outputs were lost")
	}
}

func TestMissingCDK(t *testing.T) {
	r := &Runner{ProjectDir: t.TempDir(), Stderr: io.Discard}
	if err := r.Deploy(context.Background(), []string{"x"}); err == nil || !strings.Contains(err.Error(), "make setup") {
		t.Fatalf("error = %v", err)
	}
}

func TestConfirm(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, "n\n": false, "\n": false, "": false, "yes please\n": false} {
		if got := Confirm(strings.NewReader(in), io.Discard, "go?"); got != want {
			t.Errorf("Confirm(%q) = %v", in, got)
		}
	}
}

func TestEnv(t *testing.T) {
	env := Env([]string{"PATH=/usr/bin", "HOME=/h", "CDK_DISABLE_CLI_TELEMETRY=0"}, "/proj")
	for _, want := range []string{"PATH=/proj/node_modules/.bin:/usr/bin", "HOME=/h", "CDK_DISABLE_CLI_TELEMETRY=1", "JSII_RUNTIME_PACKAGE_CACHE_ROOT=/proj/.cache/jsii"} {
		if !slices.Contains(env, want) {
			t.Errorf("env lacks %s: %v", want, env)
		}
	}
}

func TestSynthFailureDeploysNothing(t *testing.T) {
	f := &fakeCDK{fail: "synth"}
	r := runner(t, f)
	if err := r.Deploy(context.Background(), Stacks(deployment(false, false))); err == nil || !strings.Contains(err.Error(), "nothing was deployed") {
		t.Fatalf("error = %v", err)
	}
	if len(f.ran) != 1 {
		t.Fatalf("ran %v after a failed synth", f.ran)
	}
}
