package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// Helpers that read synthesized CloudFormation JSON.

// render turns a template value into a string: Fn::Join is joined, the partition is
// "aws", the account "ACCOUNT", other references {Ref X} and {GetAtt X.Y}.
func render(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok {
			switch ref {
			case "AWS::Partition":
				return "aws"
			case "AWS::AccountId":
				return "ACCOUNT"
			}
			return "{Ref " + ref + "}"
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
			return fmt.Sprintf("{GetAtt %v.%v}", ga[0], ga[1])
		}
		if j, ok := x["Fn::Join"].([]any); ok && len(j) == 2 {
			parts, _ := j[1].([]any)
			s := make([]string, len(parts))
			for i, p := range parts {
				s[i] = render(p)
			}
			return strings.Join(s, fmt.Sprint(j[0]))
		}
	}
	return fmt.Sprintf("%v", v)
}

// list reads a string-or-list IAM field (Action, Resource) as rendered strings.
func list(v any) []string {
	if l, ok := v.([]any); ok {
		out := make([]string, len(l))
		for i, x := range l {
			out[i] = render(x)
		}
		return out
	}
	return []string{render(v)}
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
