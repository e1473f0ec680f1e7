package cdktest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Render turns a CloudFormation template value into a string, for assertions on values
// built from intrinsics: Fn::Join is joined, the partition is
// "aws", the account "ACCOUNT", other references REF(X) and GETATT(X.Y) (plain scalars, so rendered YAML parses),
// anything else compact JSON.
func Render(v any) string {
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
			return "REF(" + ref + ")"
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
			return fmt.Sprintf("GETATT(%v.%v)", ga[0], ga[1])
		}
		if j, ok := x["Fn::Join"].([]any); ok && len(j) == 2 {
			parts, _ := j[1].([]any)
			s := make([]string, len(parts))
			for i, p := range parts {
				s[i] = Render(p)
			}
			return strings.Join(s, fmt.Sprint(j[0]))
		}
	}
	b, _ := json.Marshal(v) // anything else as compact JSON
	return string(b)
}
