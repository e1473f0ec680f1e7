// Package quota is the contract of ccwb's spend control: what a quota policy is, which
// policy applies to a user, the periods and their reset instants, the check service's
// answer (Verdict), the DynamoDB keys the quota service and `ccwb quota` share, and the
// defaults. It touches no network: the DynamoDB layer lives in the lambda module
// (docs/platform/quotas.md).
package quota

import (
	"fmt"
	"slices"
	"strings"
)

// Metric is what a limit counts.
type Metric string

// Period is the window a limit applies to.
type Period string

// Action is what crossing a limit does.
type Action string

// Scope is whom a policy names.
type Scope string

const (
	Tokens Metric = "tokens" // every input, output, cache-read and cache-write token
	USD    Metric = "usd"    // the tokens priced with bedrock.prices

	Daily   Period = "daily"
	Monthly Period = "monthly"

	Warn  Action = "warn"  // notify at the warn_at percentages
	Block Action = "block" // notify, and deny Bedrock at 100 %

	User    Scope = "user"    // one verified subject (the ID token's sub)
	Group   Scope = "group"   // a value of the groups claim
	Default Scope = "default" // everyone without a user policy or a group policy
)

// Metrics, Periods, Actions and Scopes list the values, for validation and help texts.
var (
	Metrics = []Metric{Tokens, USD}
	Periods = []Period{Daily, Monthly}
	Actions = []Action{Warn, Block}
	Scopes  = []Scope{User, Group, Default}
)

// Sources of a policy: the deployment settings (seeded at deploy time) or `ccwb quota set`.
// A deploy never overwrites a policy whose source is SourceCLI.
const (
	SourceSettings = "settings"
	SourceCLI      = "cli"
)

// Policy is one limit. Per (metric, period), a user's own policy wins over their groups',
// the strictest group policy over the default.
type Policy struct {
	Scope  Scope   `json:"scope"`
	Name   string  `json:"name,omitempty"` // the subject (user) or group name; empty for default
	Metric Metric  `json:"metric"`
	Period Period  `json:"period"`
	Limit  float64 `json:"limit"` // tokens, or USD
	Action Action  `json:"action"`
	// WarnAt are the percentages of Limit at which the user is warned (default DefaultWarnAt).
	WarnAt []int  `json:"warn_at,omitempty"`
	Source string `json:"source,omitempty"`
}

// ID is the policy's identity: one policy per scope, name, metric and period.
func (p Policy) ID() string {
	return strings.Join([]string{string(p.Scope), p.Name, string(p.Metric), string(p.Period)}, "#")
}

// ParseID reverses ID (names hold no '#': Check refuses them).
func ParseID(id string) (scope Scope, name string, metric Metric, period Period, err error) {
	parts := strings.Split(id, "#")
	if len(parts) != 4 {
		return "", "", "", "", fmt.Errorf("quota policy key %q is not <scope>#<name>#<metric>#<period>", id)
	}
	return Scope(parts[0]), parts[1], Metric(parts[2]), Period(parts[3]), nil
}

// Thresholds are the percentages that notify, ascending: WarnAt (or the default), and 100
// for a block.
func (p Policy) Thresholds() []int {
	w := p.WarnAt
	if w == nil {
		w = DefaultWarnAt
	}
	out := append([]int(nil), w...)
	if p.Action == Block {
		out = append(out, 100)
	}
	return out
}

// Problem is one thing wrong with a policy: the field (as the settings and the CLI name
// it) and the fix.
type Problem struct{ Field, Message string }

// Check lists what is wrong with p.
func (p Policy) Check() []Problem {
	var out []Problem
	add := func(field, format string, args ...any) {
		out = append(out, Problem{field, fmt.Sprintf(format, args...)})
	}
	switch {
	case !slices.Contains(Scopes, p.Scope):
		add("scope", "%q is not a scope; use user, group or default", p.Scope)
	case p.Scope == Default && p.Name != "":
		add("name", "a default policy names no one; remove the name")
	case p.Scope != Default && (p.Name == "" || strings.ContainsAny(p.Name, "#\n") || len(p.Name) > 256):
		add(string(p.Scope), "%q is not a %s name; give the %s (at most 256 characters, no '#')", p.Name, p.Scope, nameOf(p.Scope))
	}
	if !slices.Contains(Metrics, p.Metric) {
		add("metric", "%q is not a metric; use tokens or usd", p.Metric)
	}
	if !slices.Contains(Periods, p.Period) {
		add("period", "%q is not a period; use daily or monthly", p.Period)
	}
	if !(p.Limit > 0) || p.Limit > 1e15 {
		add("limit", "%v is not a limit; give a positive number of %s", p.Limit, unitName(p.Metric))
	}
	if !slices.Contains(Actions, p.Action) {
		add("action", "%q is not an action; use warn (notify only) or block (deny Bedrock at 100%%)", p.Action)
	}
	for i, w := range p.WarnAt {
		if w < 1 || w > 99 || (i > 0 && w <= p.WarnAt[i-1]) {
			add("warn_at", "%v is not a list of ascending percentages from 1 to 99 (default %v)", p.WarnAt, DefaultWarnAt)
			break
		}
	}
	return out
}

func nameOf(s Scope) string {
	if s == User {
		return "user's subject (the sub claim of their ID token)"
	}
	return "group as the groups claim carries it"
}

func unitName(m Metric) string {
	if m == USD {
		return "US dollars"
	}
	return "tokens"
}

// Unit is how a limit of m is written: "tokens" or "USD".
func (m Metric) Unit() string {
	if m == USD {
		return "USD"
	}
	return "tokens"
}
