package main

import (
	"fmt"
	"os"
	"sort"

	"ccwb.dev/constructs/cdktest"
)

// Helpers that read synthesized CloudFormation JSON.

// list reads a string-or-list IAM field (Action, Resource) as rendered strings.
func list(v any) []string {
	if l, ok := v.([]any); ok {
		out := make([]string, len(l))
		for i, x := range l {
			out[i] = cdktest.Render(x)
		}
		return out
	}
	return []string{cdktest.Render(v)}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func props(resource map[string]any) map[string]any {
	p, _ := resource["Properties"].(map[string]any)
	return p
}

// only returns the single value of a map, failing the check when there is not exactly one.
func only[V any](m map[string]V) (string, V, error) {
	if len(m) != 1 {
		var zero V
		return "", zero, fmt.Errorf("%d found, want exactly 1", len(m))
	}
	for k, v := range m {
		return k, v, nil
	}
	panic("unreachable")
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o600) }
