package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
)

// exampleOutputsFixture is what `cdk deploy --outputs-file` would write for the committed
// example; `make package` and the packaging tests read it in place of a deployment.
const exampleOutputsFixture = "internal/stackoutputs/testdata/example-outputs.json"

// checkOutputsFixture holds the committed outputs fixture to the synthesized example: the
// same stacks, in each the same output names, and every value the template fixes (a literal,
// or the literal parts of an Fn::Join) as the fixture has it. A value CloudFormation resolves
// at deploy time (Ref, Fn::GetAtt, an import) may be anything non-empty in the fixture, but
// outputs of one template value have one value there. CDK's own outputs count: the export of
// a cross-stack reference (ExportsOutput...) is an output that --outputs-file writes too.
func checkOutputsFixture(t *testing.T, asm *cdktest.Assembly, example *settings.Deployment) {
	t.Helper()
	fixture, err := stackoutputs.Read(exampleOutputsFixture)
	if err != nil {
		t.Fatal(err)
	}
	var synthesized []string
	for _, stack := range asm.Stacks() {
		if strings.HasPrefix(stack, example.Name+"-") {
			synthesized = append(synthesized, stack)
		}
	}
	if got := slices.Sorted(maps.Keys(fixture)); !slices.Equal(got, synthesized) {
		t.Fatalf("%s holds stacks %v; the example synthesizes %v", exampleOutputsFixture, got, synthesized)
	}
	for _, stack := range synthesized {
		declared, _ := asm.TemplateJSON(t, stack)["Outputs"].(map[string]any)
		for name := range fixture[stack] {
			if _, ok := declared[name]; !ok {
				t.Errorf("%s: the fixture has output %s, which the stack does not declare", stack, name)
			}
		}
		same := map[string]string{} // rendered template value → the output that first had it
		for _, name := range slices.Sorted(maps.Keys(declared)) {
			got, ok := fixture[stack][name]
			if !ok {
				t.Errorf("%s: the stack declares output %s, which the fixture lacks", stack, name)
				continue
			}
			value, _ := declared[name].(map[string]any)
			if err := matchOutput(value["Value"], got); err != nil {
				t.Errorf("%s output %s: %v", stack, name, err)
			}
			// Two outputs of one value (an output and CDK's export of it) deploy equal.
			key := cdktest.Render(value["Value"])
			if other, ok := same[key]; ok && fixture[stack][other] != got {
				t.Errorf("%s: outputs %s and %s have one value in the template, %q and %q in the fixture", stack, other, name, fixture[stack][other], got)
			}
			same[key] = name
		}
	}
}

// matchOutput checks a fixture value against a template's output Value.
func matchOutput(tpl any, fixture string) error {
	if fixture == "" {
		return fmt.Errorf("the fixture value is empty")
	}
	var pattern string
	switch v := tpl.(type) {
	case string:
		if v != fixture {
			return fmt.Errorf("the template fixes %q, the fixture says %q", v, fixture)
		}
		return nil
	case map[string]any:
		join, ok := v["Fn::Join"].([]any)
		if !ok || len(join) != 2 {
			return nil // resolved at deploy time: any value
		}
		sep, _ := join[0].(string)
		parts, _ := join[1].([]any)
		quoted := make([]string, len(parts))
		for i, p := range parts {
			quoted[i] = ".+"
			if s, ok := p.(string); ok {
				quoted[i] = regexp.QuoteMeta(s)
			}
		}
		pattern = "^" + strings.Join(quoted, regexp.QuoteMeta(sep)) + "$"
	default:
		return fmt.Errorf("unexpected template value %v", tpl)
	}
	if !regexp.MustCompile(pattern).MatchString(fixture) {
		return fmt.Errorf("the fixture's %q does not have the template's literal parts %s", fixture, cdktest.Render(tpl))
	}
	return nil
}
