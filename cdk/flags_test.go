package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// flagExceptions are the feature flags cdk.json sets against the CDK's recommendation, each
// with the value it keeps (the reasons are in docs/platform/ci.md#cdk-feature-flags).
var flagExceptions = map[string]any{
	"@aws-cdk/core:defaultCrossStackReferences": "strong",
}

// checkFeatureFlags reads the feature flag report the CDK writes into the cloud assembly
// (what `cdk synth` counts for its "feature flags are not configured" notice): every flag of
// the pinned CDK is set, to its recommended value or to its documented exception.
func checkFeatureFlags(t *testing.T, dir string) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				Flags map[string]map[string]any `json:"flags"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	var flags map[string]map[string]any
	for _, a := range manifest.Artifacts {
		if a.Type == "cdk:feature-flag-report" {
			flags = a.Properties.Flags
		}
	}
	if len(flags) == 0 {
		t.Fatal("the cloud assembly has no feature flag report")
	}
	for name, f := range flags {
		user, set := f["userValue"]
		want, exception := flagExceptions[name]
		switch {
		case !set:
			t.Errorf("feature flag %s is not configured: set it in cdk.json (recommended: %v)", name, f["recommendedValue"])
		case exception && !reflect.DeepEqual(user, want):
			t.Errorf("feature flag %s = %v, want the documented exception %v", name, user, want)
		case !exception && !reflect.DeepEqual(user, f["recommendedValue"]):
			t.Errorf("feature flag %s = %v, recommended %v: set the recommendation or document an exception", name, user, f["recommendedValue"])
		}
	}
}
