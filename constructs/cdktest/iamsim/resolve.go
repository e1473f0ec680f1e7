package iamsim

import (
	"fmt"
	"strings"
)

// Env is the deployment a template is resolved for: the pseudo parameters and the
// physical values of the resources the policies reference.
type Env struct {
	Partition, Region, Account string
	// Refs maps a logical ID to what {"Ref": id} returns (an OIDC provider's ARN, a pool ID).
	Refs map[string]string
	// Attrs maps "LogicalID.Attribute" to what Fn::GetAtt returns.
	Attrs map[string]string
}

// Resolve returns v (a policy document from a template) with every Ref, Fn::GetAtt and
// Fn::Join replaced by its value in env. An intrinsic it cannot resolve is an error.
func Resolve(v any, env Env) (any, error) {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := Resolve(e, env)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return env.intrinsic(k, arg)
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := Resolve(e, env)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	default:
		return v, nil
	}
}

func (env Env) intrinsic(name string, arg any) (any, error) {
	switch name {
	case "Ref":
		id, _ := arg.(string)
		return env.ref(id)
	case "Fn::GetAtt":
		parts, _ := arg.([]any)
		if len(parts) == 2 {
			key := fmt.Sprint(parts[0]) + "." + fmt.Sprint(parts[1])
			if v, ok := env.Attrs[key]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("resolve: no value for Fn::GetAtt %s", key)
		}
	case "Fn::Join":
		parts, _ := arg.([]any)
		if len(parts) == 2 {
			return env.join(parts[0], parts[1])
		}
	}
	return nil, fmt.Errorf("resolve: cannot resolve %s %v", name, arg)
}

func (env Env) ref(id string) (string, error) {
	switch id {
	case "AWS::Partition":
		return env.Partition, nil
	case "AWS::Region":
		return env.Region, nil
	case "AWS::AccountId":
		return env.Account, nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if v, ok := env.Refs[id]; ok {
		return v, nil
	}
	return "", fmt.Errorf("resolve: no value for Ref %s", id)
}

func (env Env) join(sep, list any) (any, error) {
	s, ok := sep.(string)
	items, ok2 := list.([]any)
	if !ok || !ok2 {
		return nil, fmt.Errorf("resolve: malformed Fn::Join [%v, %v]", sep, list)
	}
	parts := make([]string, len(items))
	for i, item := range items {
		r, err := Resolve(item, env)
		if err != nil {
			return nil, err
		}
		str, ok := r.(string)
		if !ok {
			return nil, fmt.Errorf("resolve: Fn::Join item %v is not a string", r)
		}
		parts[i] = str
	}
	return strings.Join(parts, s), nil
}
