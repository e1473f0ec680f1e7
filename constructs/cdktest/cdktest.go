// Package cdktest is the shared harness of the CDK tests: one synthesis of an App into a
// temporary directory with cdk-nag's AwsSolutions checks applied, the templates as
// CDK assertions or plain JSON, the nag findings, and one cfn-lint run over every
// template.
//
//	func TestMain(m *testing.M) { cdktest.Main(m) }
//
//	func TestStack(t *testing.T) {
//		asm := cdktest.Synth(t, func(app awscdk.App) { NewMyStack(app, "S") })
//		asm.RequireNoNagFindings(t)
//		cdktest.Check(t, func() { asm.Template(t, "S").ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(1)) })
//		cdktest.CfnLint(t, asm.Dir)
//	}
package cdktest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"ccwb.dev/constructs/cdktest/cdkenv"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Main runs a package's tests and then stops the jsii runtime; call it from TestMain.
// Importing cdktest gives jsii the project's Node runtime and caches (package cdkenv),
// so plain `go test` behaves like `make test`.
func Main(m *testing.M) {
	cdkenv.RestoreHome()
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// Assembly is one synthesized App: the cloud assembly directory and its manifest.
type Assembly struct {
	// Dir is the cloud assembly directory (a t.TempDir), holding <stack>.template.json.
	Dir      string
	manifest manifest
}

type manifest struct {
	Artifacts map[string]artifact `json:"artifacts"`
}

type artifact struct {
	Type         string `json:"type"`
	MetadataFile string `json:"additionalMetadataFile"`
	Properties   struct {
		TemplateFile string `json:"templateFile"`
	} `json:"properties"`
	Metadata map[string][]struct {
		Type string `json:"type"`
		Data any    `json:"data"`
	} `json:"metadata"`
}

// Synth creates an App with the project's cdk.json context (its feature flags) that writes
// into a temporary directory, applies cdk-nag's AwsSolutions checks to it, lets build add
// the stacks, and synthesizes it once. Build every stack a test needs in one call: a
// synthesis costs seconds.
func Synth(t testing.TB, build func(app awscdk.App)) *Assembly {
	t.Helper()
	dir := t.TempDir()
	ctx := projectContext(t)
	var asm *Assembly
	Check(t, func() {
		app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir), Context: &ctx})
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
		build(app)
		app.Synth(nil)
	})
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatalf("read cloud assembly manifest: %v", err)
	}
	asm = &Assembly{Dir: dir}
	if err := json.Unmarshal(raw, &asm.manifest); err != nil {
		t.Fatalf("parse cloud assembly manifest: %v", err)
	}
	// Stack metadata (annotations among it) may live in a file of its own.
	for name, art := range asm.manifest.Artifacts {
		if art.MetadataFile == "" {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, art.MetadataFile))
		if err != nil {
			t.Fatalf("read metadata of %s: %v", name, err)
		}
		if err := json.Unmarshal(raw, &art.Metadata); err != nil {
			t.Fatalf("parse metadata of %s: %v", name, err)
		}
		asm.manifest.Artifacts[name] = art
	}
	return asm
}

// Check runs fn and turns a panic (a failed CDK assertion, a jsii error) into t.Fatal.
func Check(t testing.TB, fn func()) {
	t.Helper()
	failed := true
	var cause any
	func() {
		defer func() { cause = recover() }()
		fn()
		failed = false
	}()
	if failed {
		t.Fatalf("%v", cause)
	}
}

// Stacks returns the names of the synthesized stacks, sorted.
func (a *Assembly) Stacks() []string {
	var names []string
	for name, art := range a.manifest.Artifacts {
		if art.Type == "aws:cloudformation:stack" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// TemplateFile is the path of a stack's template.
func (a *Assembly) TemplateFile(t testing.TB, stack string) string {
	t.Helper()
	art, ok := a.manifest.Artifacts[stack]
	if !ok || art.Type != "aws:cloudformation:stack" {
		t.Fatalf("no stack %q in the assembly (stacks: %s)", stack, strings.Join(a.Stacks(), ", "))
	}
	return filepath.Join(a.Dir, art.Properties.TemplateFile)
}

// TemplateJSON returns a stack's template as decoded JSON.
func (a *Assembly) TemplateJSON(t testing.TB, stack string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(a.TemplateFile(t, stack))
	if err != nil {
		t.Fatalf("read template of %s: %v", stack, err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatalf("parse template of %s: %v", stack, err)
	}
	return tpl
}

// Template returns a stack's template for CDK assertions (wrap the calls in Check).
func (a *Assembly) Template(t testing.TB, stack string) assertions.Template {
	t.Helper()
	tpl := a.TemplateJSON(t, stack)
	var out assertions.Template
	Check(t, func() { out = assertions.Template_FromJSON(&tpl, nil) })
	return out
}

// Resources returns a stack's resources of one CloudFormation type by logical ID.
func (a *Assembly) Resources(t testing.TB, stack, typ string) map[string]map[string]any {
	t.Helper()
	res, _ := a.TemplateJSON(t, stack)["Resources"].(map[string]any)
	out := map[string]map[string]any{}
	for id, r := range res {
		if m, ok := r.(map[string]any); ok && m["Type"] == typ {
			out[id] = m
		}
	}
	return out
}

// Finding is one error or warning annotation of a synthesized stack.
type Finding struct {
	Stack, Path, Level, Message string
}

func (f Finding) String() string {
	msg, _, _ := strings.Cut(f.Message, ": ")
	return fmt.Sprintf("%s %s %s: %s", f.Level, f.Stack, f.Path, msg)
}

// Findings returns the error and warning annotations of the given stacks (all stacks
// when none is named): unsuppressed cdk-nag findings and any other synth problem.
func (a *Assembly) Findings(stacks ...string) []Finding {
	if len(stacks) == 0 {
		stacks = a.Stacks()
	}
	var out []Finding
	for _, s := range stacks {
		for path, entries := range a.manifest.Artifacts[s].Metadata {
			for _, e := range entries {
				if e.Type == "aws:cdk:error" || e.Type == "aws:cdk:warning" {
					out = append(out, Finding{Stack: s, Path: path, Level: strings.TrimPrefix(e.Type, "aws:cdk:"), Message: fmt.Sprint(e.Data)})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// RequireNoNagFindings fails the test when a stack (every stack when none is named) has
// an unsuppressed cdk-nag finding or any other error or warning annotation.
func (a *Assembly) RequireNoNagFindings(t testing.TB, stacks ...string) {
	t.Helper()
	if f := a.Findings(stacks...); len(f) > 0 {
		lines := make([]string, len(f))
		for i, x := range f {
			lines[i] = x.String()
		}
		t.Fatalf("%d unsuppressed findings:\n%s", len(f), strings.Join(lines, "\n"))
	}
}
