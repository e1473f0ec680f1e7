package quota

import (
	"testing"
	"time"

	"ccwb.dev/contract/pricing"
)

func pol(scope Scope, name string, m Metric, per Period, limit float64, a Action) Policy {
	return Policy{Scope: scope, Name: name, Metric: m, Period: per, Limit: limit, Action: a}
}

func TestEffective(t *testing.T) {
	all := []Policy{
		pol(Default, "", USD, Monthly, 500, Block),
		pol(Group, "contractors", USD, Monthly, 200, Block),
		pol(Group, "engineers", USD, Monthly, 300, Warn),
		pol(Group, "interns", USD, Monthly, 100, Warn),
		pol(Group, "engineers", Tokens, Daily, 1e6, Block),
		pol(User, "00ualice", USD, Monthly, 1000, Warn),
	}
	limit := func(ps []Policy, m Metric, per Period) float64 {
		for _, p := range ps {
			if p.Metric == m && p.Period == per {
				return p.Limit
			}
		}
		return -1
	}
	for _, c := range []struct {
		name    string
		s       Subject
		unknown string
		usd     float64 // the monthly USD limit that applies
		tokens  float64 // the daily token limit (-1: none)
	}{
		{"the user's own policy wins over a stricter group", Subject{Sub: "00ualice", Groups: []string{"contractors"}, KnownGroups: true}, UnknownStrictest, 1000, -1},
		{"the strictest group wins", Subject{Sub: "00ubob", Groups: []string{"engineers", "contractors"}, KnownGroups: true}, UnknownStrictest, 200, 1e6},
		{"no group policy: the default", Subject{Sub: "00ucarol", Groups: []string{"sales"}, KnownGroups: true}, UnknownStrictest, 500, -1},
		{"unknown groups, strictest", Subject{Sub: "00udave"}, UnknownStrictest, 100, 1e6},
		{"unknown groups, default", Subject{Sub: "00udave"}, UnknownDefault, 500, -1},
	} {
		eff := Effective(all, c.s, c.unknown)
		if got := limit(eff, USD, Monthly); got != c.usd {
			t.Errorf("%s: monthly USD limit %v, want %v", c.name, got, c.usd)
		}
		if got := limit(eff, Tokens, Daily); got != c.tokens {
			t.Errorf("%s: daily token limit %v, want %v", c.name, got, c.tokens)
		}
	}
	// At the same limit, block is stricter than warn.
	eff := Effective([]Policy{pol(Group, "a", Tokens, Daily, 10, Warn), pol(Group, "b", Tokens, Daily, 10, Block)},
		Subject{Sub: "x", Groups: []string{"a", "b"}, KnownGroups: true}, UnknownStrictest)
	if len(eff) != 1 || eff[0].Action != Block {
		t.Errorf("equal limits: got %v, want the block", eff)
	}
}

func TestAssessAndVerdict(t *testing.T) {
	now := time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)
	p := pol(User, "u", USD, Monthly, 100, Block)
	u := Usage{}
	u.Add(pricing.Tokens{Input: 1_000_000, Output: 1_000_000}, "anthropic.claude-sonnet-4-5", pricing.Defaults) // 3 + 15 = 18 USD
	at := func(times int) Verdict {
		var total Usage
		for range times {
			total.Add(pricing.Tokens{Input: 1_000_000, Output: 1_000_000}, "anthropic.claude-sonnet-4-5", pricing.Defaults)
		}
		sts := Assess([]Policy{p}, func(key string) Usage {
			if key != "M#2026-12" {
				t.Errorf("usage asked for %s", key)
			}
			return total
		}, now, time.UTC)
		return VerdictOf(sts, total, time.Time{}, now)
	}
	if v := at(4); v.Decision != Allowed || v.Usage != 72 || v.Message() != "" { // 72 %
		t.Errorf("72%%: %+v", v)
	}
	v := at(5) // 90 %
	if v.Decision != Warned || v.Message() != "ccwb: 90% of your monthly limit used (USD 90.00 of USD 100.00); it resets 2027-01-01 00:00 UTC" {
		t.Errorf("90%%: %+v %q", v, v.Message())
	}
	v = at(6) // 108 %
	want := "Claude Code is blocked: your monthly limit of USD 100.00 is reached (USD 108.00 used); it resets 2027-01-01 00:00 UTC. Ask your administrator to raise it."
	if v.Decision != Blocked || v.Message() != want {
		t.Errorf("108%%: %+v\n%q", v, v.Message())
	}
	// An override lifts the block until it ends.
	sts := Assess([]Policy{p}, func(string) Usage { var x Usage; x.MicroUSD = 200e6; return x }, now, time.UTC)
	if v := VerdictOf(sts, Usage{}, now.Add(time.Hour), now); v.Decision != Warned || !v.Override {
		t.Errorf("override: %+v", v)
	}
	if v := VerdictOf(sts, Usage{}, now.Add(-time.Hour), now); v.Decision != Blocked {
		t.Errorf("expired override: %+v", v)
	}
	// A warn policy never blocks.
	w := pol(User, "u", Tokens, Daily, 1000, Warn)
	sts = Assess([]Policy{w}, func(string) Usage { return Usage{Tokens: pricing.Tokens{Input: 5000}} }, now, time.UTC)
	if v := VerdictOf(sts, Usage{}, time.Time{}, now); v.Decision != Warned || v.Amount(v.Usage) != "5,000 tokens" {
		t.Errorf("warn policy at 500%%: %+v", v)
	}
}

func TestUnpricedModelCountsTokens(t *testing.T) {
	var u Usage
	u.Add(pricing.Tokens{Input: 10, Output: 5}, "amazon.nova-pro-v1:0", pricing.Defaults)
	u.Add(pricing.Tokens{Input: 1}, "amazon.nova-pro-v1:0", pricing.Defaults)
	if u.Total() != 16 || u.MicroUSD != 0 || u.UnpricedTokens != 16 || len(u.UnpricedModels) != 1 || u.Requests != 2 {
		t.Errorf("unpriced usage: %+v", u)
	}
}

func TestParseVerdict(t *testing.T) {
	if _, err := ParseVerdict([]byte(`{"decision":"maybe"}`)); err == nil {
		t.Error("an unknown decision parses")
	}
	if v, err := ParseVerdict([]byte(`{"decision":"blocked","metric":"tokens","limit":5}`)); err != nil || v.Limit != 5 {
		t.Errorf("ParseVerdict: %v %v", v, err)
	}
}

func TestPolicyCheckAndID(t *testing.T) {
	good := pol(Group, "contractors", USD, Monthly, 200, Block)
	if len(good.Check()) != 0 {
		t.Errorf("good policy: %v", good.Check())
	}
	s, n, m, per, err := ParseID(good.ID())
	if err != nil || s != Group || n != "contractors" || m != USD || per != Monthly {
		t.Errorf("ParseID(ID) = %v %v %v %v %v", s, n, m, per, err)
	}
	for _, bad := range []Policy{
		pol(Default, "x", USD, Monthly, 1, Block), pol(User, "", USD, Monthly, 1, Block), pol(User, "a#b", USD, Monthly, 1, Block),
		pol(User, "a", "bytes", Monthly, 1, Block), pol(User, "a", USD, "weekly", 1, Block), pol(User, "a", USD, Monthly, 0, Block),
		pol(User, "a", USD, Monthly, 1, "deny"), {Scope: User, Name: "a", Metric: USD, Period: Daily, Limit: 1, Action: Warn, WarnAt: []int{90, 80}},
	} {
		if len(bad.Check()) == 0 {
			t.Errorf("policy %+v passes", bad)
		}
	}
	if got := good.Thresholds(); len(got) != 3 || got[2] != 100 {
		t.Errorf("block thresholds %v, want 80 90 100", got)
	}
}
