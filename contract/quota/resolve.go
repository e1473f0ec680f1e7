package quota

import (
	"slices"
	"time"
)

// Subject is what the quota service knows of a user: the verified subject, and their
// groups when the check service saw a verified ID token of theirs (KnownGroups).
type Subject struct {
	Sub         string
	Groups      []string
	KnownGroups bool
}

// Effective returns the policies that apply to s, at most one per metric and period: the
// user's own, else the strictest of their groups' (the lowest limit; block before warn at
// the same limit), else the default. A subject whose groups are unknown gets the strictest
// of all group policies (UnknownStrictest) or none of them (UnknownDefault).
func Effective(all []Policy, s Subject, unknownGroups string) []Policy {
	type slot struct {
		m Metric
		p Period
	}
	rank := func(p Policy) int {
		switch {
		case p.Scope == User && p.Name == s.Sub:
			return 3
		case p.Scope == Group && (s.KnownGroups && slices.Contains(s.Groups, p.Name) ||
			!s.KnownGroups && unknownGroups != UnknownDefault):
			return 2
		case p.Scope == Default:
			return 1
		}
		return 0
	}
	best := map[slot]Policy{}
	var order []slot
	for _, p := range all {
		r := rank(p)
		if r == 0 {
			continue
		}
		k := slot{p.Metric, p.Period}
		cur, ok := best[k]
		if !ok {
			order = append(order, k)
		}
		if !ok || r > rank(cur) || r == rank(cur) && stricter(p, cur) {
			best[k] = p
		}
	}
	out := make([]Policy, 0, len(order))
	for _, k := range order {
		out = append(out, best[k])
	}
	return out
}

func stricter(a, b Policy) bool {
	if a.Limit != b.Limit {
		return a.Limit < b.Limit
	}
	return a.Action == Block && b.Action != Block
}

// Status is a user's standing under one policy in the period holding Now.
type Status struct {
	Policy   Policy
	Used     float64 // in the policy's unit
	Percent  float64
	Reached  []int // the thresholds reached (Policy.Thresholds at or below Percent)
	Blocked  bool  // a block policy at 100 % or more
	Key      string
	ResetsAt time.Time
}

// Assess measures usage against each policy; usage returns the user's usage of a period
// key (PeriodKey).
func Assess(policies []Policy, usage func(key string) Usage, now time.Time, loc *time.Location) []Status {
	out := make([]Status, 0, len(policies))
	for _, p := range policies {
		key := PeriodKey(p.Period, now, loc)
		used := usage(key).Value(p.Metric)
		st := Status{Policy: p, Used: used, Percent: 100 * used / p.Limit, Key: key, ResetsAt: End(p.Period, now, loc)}
		for _, t := range p.Thresholds() {
			if st.Percent >= float64(t) {
				st.Reached = append(st.Reached, t)
			}
		}
		st.Blocked = p.Action == Block && st.Percent >= 100
		out = append(out, st)
	}
	return out
}

// Worst is the status the user is told about: a block, else the highest warning reached,
// else the policy closest to its limit; ok is false without policies.
func Worst(sts []Status) (Status, bool) {
	if len(sts) == 0 {
		return Status{}, false
	}
	severity := func(s Status) int {
		switch {
		case s.Blocked:
			return 2
		case len(s.Reached) > 0:
			return 1
		}
		return 0
	}
	w := sts[0]
	for _, s := range sts[1:] {
		if severity(s) > severity(w) || severity(s) == severity(w) && s.Percent > w.Percent {
			w = s
		}
	}
	return w, true
}
