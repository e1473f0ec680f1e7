package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/store"
	"ccwb.dev/lambda/quota/store/storetest"
)

var ctx = context.Background()

func invocation(id string, at time.Time, in int64) store.Invocation {
	return store.Invocation{Region: "us-east-1", RequestID: id, Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Time: at, Tokens: pricing.Tokens{Input: in, Output: 10}}
}

// TestCountOnce: invocations counted once however often they arrive, in one call or
// several, and more than a transaction's worth at once.
func TestCountOnce(t *testing.T) {
	s, _ := storetest.New(t)
	c := store.Counter{Prices: pricing.Defaults, Location: time.UTC}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var many []store.Invocation
	for i := range 150 {
		many = append(many, invocation(fmt.Sprint("r", i), at, 100))
	}
	n, err := s.Count(ctx, c, "00ualice", many)
	if err != nil || n != 150 {
		t.Fatalf("Count(150) = %d, %v", n, err)
	}
	// The same batch again, and an overlapping one with two new invocations.
	if n, err := s.Count(ctx, c, "00ualice", many); err != nil || n != 0 {
		t.Fatalf("redelivered batch counted %d, %v", n, err)
	}
	more := append(many[140:], invocation("new1", at, 100), invocation("new2", at.Add(24*time.Hour), 100))
	if n, err := s.Count(ctx, c, "00ualice", more); err != nil || n != 2 {
		t.Fatalf("overlapping batch counted %d, %v; want the 2 new", n, err)
	}
	u, err := s.Usage(ctx, "00ualice", "M#2026-12", "D#2026-12-01", "D#2026-12-02")
	if err != nil {
		t.Fatal(err)
	}
	if m := u["M#2026-12"]; m.Requests != 152 || m.Input != 15200 || m.Output != 1520 {
		t.Errorf("month usage %+v, want 152 requests", m)
	}
	if d := u["D#2026-12-01"]; d.Requests != 151 {
		t.Errorf("day 1: %d requests, want 151", d.Requests)
	}
	// 152 × (100 × 3 + 10 × 15) micro-USD.
	if got := u["M#2026-12"].MicroUSD; got != 152*450 {
		t.Errorf("month cost %d micro-USD, want %d", got, 152*450)
	}
	counted, err := s.Counted(ctx, "us-east-1", []string{"r0", "new2", "never"})
	if err != nil || !counted[quota.LedgerKey("us-east-1", "r0")] || !counted[quota.LedgerKey("us-east-1", "new2")] || counted[quota.LedgerKey("us-east-1", "never")] {
		t.Errorf("Counted = %v, %v", counted, err)
	}
}

func TestBlocksOverridesNotes(t *testing.T) {
	s, _ := storetest.New(t)
	now := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	b := store.Block{Subject: "00ubob", Limit: 100, Used: 101, Since: now, Until: until}
	if ok, err := s.PutBlock(ctx, b); !ok || err != nil {
		t.Fatalf("first block: %v %v", ok, err)
	}
	if ok, err := s.PutBlock(ctx, b); ok || err != nil {
		t.Fatalf("second block of the same user: %v %v, want not created", ok, err)
	}
	old := store.Block{Subject: "00uold", Since: now.AddDate(0, -1, 0), Until: now.Add(-time.Hour)}
	if ok, _ := s.PutBlock(ctx, old); !ok {
		t.Fatal("block of 00uold not written")
	}
	bs, err := s.Blocks(ctx, now)
	if err != nil || len(bs) != 1 || bs[0].Subject != "00ubob" || !bs[0].Until.Equal(until) {
		t.Errorf("blocks in force: %+v %v (an expired block must not count)", bs, err)
	}
	if err := s.PutOverride(ctx, store.Override{Subject: "00ubob", By: "admin", Until: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if u, err := s.OverrideOf(ctx, "00ubob", now); err != nil || !u.Equal(now.Add(time.Hour)) {
		t.Errorf("override: %v %v", u, err)
	}
	if u, _ := s.OverrideOf(ctx, "00ubob", now.Add(2*time.Hour)); !u.IsZero() {
		t.Error("an expired override is in force")
	}
	if first, _ := s.PutNote(ctx, "00ubob", "N#M#2026-12#usd#80", "m", until); !first {
		t.Error("first note not created")
	}
	if again, _ := s.PutNote(ctx, "00ubob", "N#M#2026-12#usd#80", "m", until); again {
		t.Error("the same note went out twice")
	}
	if err := s.PutProfile(ctx, "00ubob", "bob@example.com", []string{"engineers"}, now); err != nil {
		t.Fatal(err)
	}
	if p, email, err := s.Profile(ctx, "00ubob"); err != nil || !p.KnownGroups || p.Groups[0] != "engineers" || email != "bob@example.com" {
		t.Errorf("profile: %+v %q %v", p, email, err)
	}
	if p, _, _ := s.Profile(ctx, "00unobody"); p.KnownGroups {
		t.Error("a subject never seen has known groups")
	}
}

func TestPoliciesAndSweepState(t *testing.T) {
	s, _ := storetest.New(t)
	now := time.Now()
	p := quota.Policy{Scope: quota.Group, Name: "contractors", Metric: quota.USD, Period: quota.Monthly, Limit: 200, Action: quota.Block, Source: quota.SourceCLI}
	if err := s.PutPolicy(ctx, p, "admin", now); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPolicy(ctx, quota.Policy{Scope: quota.User}, "admin", now); err == nil {
		t.Error("an invalid policy was stored")
	}
	ps, err := s.Policies(ctx)
	if err != nil || len(ps) != 1 || ps[0].ID() != p.ID() || ps[0].Source != quota.SourceCLI {
		t.Errorf("policies: %+v %v", ps, err)
	}
	zero, err := s.SweptUntil(ctx, "us-west-2")
	if err != nil || !zero.IsZero() {
		t.Fatalf("fresh checkpoint %v %v", zero, err)
	}
	t1 := time.UnixMilli(1_764_547_200_000).UTC()
	if err := s.AdvanceSweep(ctx, "us-west-2", zero, t1); err != nil {
		t.Fatal(err)
	}
	if err := s.AdvanceSweep(ctx, "us-west-2", zero, t1.Add(time.Hour)); err == nil {
		t.Error("a second sweep advanced from the old checkpoint too")
	}
	if got, _ := s.SweptUntil(ctx, "us-west-2"); !got.Equal(t1) {
		t.Errorf("checkpoint %v, want %v", got, t1)
	}
}
