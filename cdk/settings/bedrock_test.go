package settings

import "testing"

func TestFoundationModel(t *testing.T) {
	for in, want := range map[string]string{
		"us.anthropic.claude-sonnet-4-5-20250929-v1:0":     "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0": "anthropic.claude-3-7-sonnet-20250219-v1:0",
		"global.anthropic.claude-haiku-4-5-20251001-v1:0":  "anthropic.claude-haiku-4-5-20251001-v1:0",
		"anthropic.claude-sonnet-4-5-20250929-v1:0":        "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"us-gov.anthropic.claude-3-haiku":                  "anthropic.claude-3-haiku",
		"anthropic.claude-3-haiku-20240307-v1:0":           "anthropic.claude-3-haiku-20240307-v1:0",
	} {
		if got := FoundationModel(in); got != want {
			t.Errorf("FoundationModel(%s) = %s, want %s", in, got, want)
		}
	}
}
