// Package iamsim asks a real IAM policy evaluator, @cloud-copilot/iam-simulate, whether AWS
// would allow a request under given policies, so that tests witness IAM decisions instead
// of reading our own policy JSON back. Policies come from synthesized templates, resolved
// to concrete values with Resolve. The evaluator is an npm devDependency of the project
// (AGPL-3.0-or-later, test-only) run by the project's Node (node_modules/.bin/node).
package iamsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"ccwb.dev/contract/testenv"
)

// Decisions the evaluator returns.
const (
	Allowed          = "Allowed"
	ImplicitlyDenied = "ImplicitlyDenied"
	ExplicitlyDenied = "ExplicitlyDenied"
)

// Request is one AWS request: who calls what on which resource, with which request context.
type Request struct {
	Principal string `json:"principal"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	// ResourceAccount owns the resource (the role's or key's account).
	ResourceAccount string `json:"resourceAccount"`
	// Context holds the request's condition keys (aws:RequestedRegion, <issuer>:aud, ...).
	Context map[string]any `json:"context,omitempty"`
}

// Case is a request with the policies that decide it.
type Case struct {
	Name string `json:"-"`
	// Identity are the policy documents attached to the principal.
	Identity []any `json:"identityPolicies"`
	// Resource is the resource's policy (a KMS key policy, a role's trust policy), if any.
	Resource any `json:"resourcePolicy,omitempty"`
	// Trust marks Resource as a role trust policy (linted as one).
	Trust   bool    `json:"-"`
	Kind    string  `json:"resourcePolicyKind"`
	Request Request `json:"request"`
}

// Result is the evaluator's answer for one case.
type Result struct {
	// Decision is Allowed, ImplicitlyDenied or ExplicitlyDenied ("Error" if the evaluator
	// refused the input).
	Decision string `json:"decision"`
	// Mode is "validated" when the action, resource ARN and context keys were checked
	// against the Service Authorization Reference, "unvalidated" when the case needed
	// keys or ARNs the reference does not list (Note says which).
	Mode         string   `json:"mode"`
	Note         string   `json:"note"`
	PolicyErrors []string `json:"policyErrors"`
}

// Evaluate runs every case in one evaluator process and returns the results in order. A
// policy the evaluator's linter rejects fails the test. Without the project's Node or the
// npm package the test fails in CI (CI=true) and is skipped elsewhere.
func Evaluate(t testing.TB, cases []Case) []Result {
	t.Helper()
	node, script := tools(t)
	for i := range cases {
		cases[i].Kind = "resource"
		if cases[i].Trust {
			cases[i].Kind = "trust"
		}
		if cases[i].Identity == nil {
			cases[i].Identity = []any{}
		}
	}
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatalf("iamsim: encode cases: %v", err)
	}
	cmd := exec.Command(node, script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("iamsim: %s %s: %v\n%s", node, script, err, stderr.String())
	}
	var results []Result
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(cases) {
		t.Fatalf("iamsim: %d results for %d cases (%v): %s", len(results), len(cases), err, out)
	}
	for i, r := range results {
		if r.Decision == "Error" {
			t.Fatalf("iamsim: case %q: the evaluator refused it: %v %s", cases[i].Name, r.PolicyErrors, r.Note)
		}
	}
	return results
}

// tools finds the project's Node, with @cloud-copilot/iam-simulate installed, and the
// evaluator script beside this file.
func tools(t testing.TB) (node, script string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	node = testenv.Node(t)
	testenv.NodeModule(t, "@cloud-copilot/iam-simulate")
	return node, filepath.Join(filepath.Dir(file), "simulate.mjs")
}

// String renders a result for failure messages.
func (r Result) String() string {
	if r.Note == "" {
		return fmt.Sprintf("%s (%s)", r.Decision, r.Mode)
	}
	return fmt.Sprintf("%s (%s: %s)", r.Decision, r.Mode, r.Note)
}
