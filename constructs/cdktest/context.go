package cdktest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"ccwb.dev/contract/project"
)

// projectContext is the "context" of the project's cdk.json: the CDK feature flags (and the
// example settings) that `cdk synth` hands the app. Synth gives them to every test app, so
// a test synthesizes the templates a deployment gets. One key is added: with
// @aws-cdk/core:annotationsInValidationReport (cdk.json) a cdk-nag error stops synthesis
// with a bare "Validation failed"; failSynthOnValidationErrors=false lets it finish, so a
// test reads the findings (Assembly.Findings) and names them (RequireNoNagFindings).
func projectContext(t testing.TB) map[string]any {
	t.Helper()
	root, err := project.Root(".")
	if err != nil {
		t.Fatalf("cdktest: %v", err)
	}
	path := filepath.Join(root, project.Marker)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cdktest: %v", err)
	}
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(data, &cdkJSON); err != nil {
		t.Fatalf("cdktest: parse %s: %v", path, err)
	}
	cdkJSON.Context["@aws-cdk/core:failSynthOnValidationErrors"] = false
	return cdkJSON.Context
}
