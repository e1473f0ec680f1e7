package ingest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/invocationlog/logtest"
	"ccwb.dev/lambda/quota/store"
	"ccwb.dev/lambda/quota/store/storetest"
)

const (
	account = logtest.Account
	role    = logtest.Role
	sonnet  = logtest.Sonnet
)

var (
	ctx = context.Background()
	now = time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC)
)

func record(roleName, session, requestID, model string, in, out int64) string {
	return logtest.Record(now.Add(-time.Minute), roleName, session, requestID, model, in, out)
}

func event(_ *testing.T, messages ...string) events.CloudwatchLogsEvent {
	return logtest.Event(now, messages...)
}

// NewHandler is a consumer on a fresh moto with policies, for these tests and the sweep's.
func newHandler(t *testing.T, policies ...quota.Policy) (*Handler, *store.Store) {
	s, _ := storetest.New(t)
	for _, p := range policies {
		if err := s.PutPolicy(ctx, p, "test", now); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	return &Handler{
		Store: s, Caller: invocationlog.Caller{Account: account, Role: role},
		Counter: store.Counter{Prices: pricing.Defaults, Location: time.UTC}, Policies: &store.PolicyCache{Store: s},
		UnknownGroups: quota.UnknownStrictest, Deployment: "test", Now: func() time.Time { return now }, Metrics: &out,
	}, s
}

func month(t *testing.T, s *store.Store, sub string) quota.Usage {
	t.Helper()
	u, err := s.Usage(ctx, sub, "M#2026-12")
	if err != nil {
		t.Fatal(err)
	}
	return u["M#2026-12"]
}

// TestRecordsBecomeUsageOnce: usage lands per verified subject; a duplicate in the batch,
// the batch delivered again, and the same request in another event count once; other roles'
// records and Bedrock's non-invocation messages are not counted; an unpriced model counts
// its tokens and is listed.
func TestRecordsBecomeUsageOnce(t *testing.T) {
	h, s := newHandler(t)
	a1 := record(role, "00ualice", "req-1", sonnet, 1000, 100)
	batch := []string{a1, a1, record(role, "00ualice", "req-2", "amazon.nova-pro-v1:0", 50, 5),
		record(role, "00ubob", "req-3", sonnet, 10, 1), record("SomeOtherRole", "00ualice", "req-4", sonnet, 999, 999),
		`{"schemaType":"Test"}`}
	if err := h.Handle(ctx, event(t, batch...)); err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(ctx, event(t, batch...)); err != nil { // redelivered
		t.Fatal(err)
	}
	if err := h.Handle(ctx, event(t, a1)); err != nil { // the same request in another event
		t.Fatal(err)
	}
	alice := month(t, s, "00ualice")
	if alice.Requests != 2 || alice.Input != 1050 || alice.Output != 105 {
		t.Errorf("alice: %+v, want 2 requests, 1,050 input and 105 output tokens", alice)
	}
	if alice.MicroUSD != 1000*3+100*15 || alice.UnpricedTokens != 55 || len(alice.UnpricedModels) != 1 || alice.UnpricedModels[0] != "amazon.nova-pro-v1:0" {
		t.Errorf("alice's cost: %+v, want the Sonnet request priced and Nova's 55 tokens unpriced", alice)
	}
	if bob := month(t, s, "00ubob"); bob.Requests != 1 {
		t.Errorf("bob: %+v", bob)
	}
	if !strings.Contains(h.Metrics.(*bytes.Buffer).String(), `"RecordsForeign":1`) {
		t.Errorf("metrics do not count the other role's record: %s", h.Metrics)
	}
}

// TestRetryAfterPartialCommit: the consumer died after the first subject's transaction;
// Lambda retries the event, and the result is that of one clean run.
func TestRetryAfterPartialCommit(t *testing.T) {
	batch := []string{record(role, "00ualice", "r1", sonnet, 100, 10), record(role, "00ubob", "r2", sonnet, 200, 20), record(role, "00ualice", "r3", sonnet, 300, 30)}
	clean, cs := newHandler(t)
	if err := clean.Handle(ctx, event(t, batch...)); err != nil {
		t.Fatal(err)
	}
	h, s := newHandler(t)
	first, _ := invocationlog.Parse([]byte(batch[0]))
	third, _ := invocationlog.Parse([]byte(batch[2]))
	if _, err := s.Count(ctx, h.Counter, "00ualice", []store.Invocation{
		{Region: first.Region, RequestID: first.RequestID, Model: first.ModelID, Time: first.Time, Tokens: first.Tokens},
		{Region: third.Region, RequestID: third.RequestID, Model: third.ModelID, Time: third.Time, Tokens: third.Tokens},
	}); err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(ctx, event(t, batch...)); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"00ualice", "00ubob"} {
		if got, want := month(t, s, sub), month(t, cs, sub); got.Requests != want.Requests || got.Total() != want.Total() || got.MicroUSD != want.MicroUSD {
			t.Errorf("%s after the retry: %+v, a clean run: %+v", sub, got, want)
		}
	}
}

// TestCrossingWritesNotesAndBlock: 80 % and 90 % notify once; 100 % of a block limit writes
// the block; an override in force prevents it.
func TestCrossingWritesNotesAndBlock(t *testing.T) {
	limit := quota.Policy{Scope: quota.Default, Metric: quota.Tokens, Period: quota.Monthly, Limit: 1000, Action: quota.Block}
	h, s := newHandler(t, limit)
	send := func(sub, id string, tokens int64) {
		t.Helper()
		if err := h.Handle(ctx, event(t, record(role, sub, id, sonnet, tokens, 0))); err != nil {
			t.Fatal(err)
		}
	}
	send("00ualice", "a", 850) // 85 %
	blocks, _ := s.Blocks(ctx, now)
	if len(blocks) != 0 {
		t.Fatalf("blocked at 85%%: %+v", blocks)
	}
	if first, _ := s.PutNote(ctx, "00ualice", quota.NoteSK("M#2026-12", limit, 80), "", now.AddDate(0, 1, 0)); first {
		t.Error("the 80% notification marker was not written at 85%")
	}
	if first, _ := s.PutNote(ctx, "00ualice", quota.NoteSK("M#2026-12", limit, 90), "x", now.AddDate(0, 1, 0)); !first {
		t.Error("the 90% marker exists at 85%")
	}
	send("00ualice", "b", 200) // 105 %
	blocks, _ = s.Blocks(ctx, now)
	if len(blocks) != 1 || blocks[0].Subject != "00ualice" || blocks[0].Used != 1050 || !blocks[0].Until.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("blocks after 105%%: %+v", blocks)
	}
	if err := s.PutOverride(ctx, store.Override{Subject: "00ubob", By: "admin", Until: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	send("00ubob", "c", 5000)
	blocks, _ = s.Blocks(ctx, now)
	if len(blocks) != 1 {
		t.Errorf("an overridden user was blocked: %+v", blocks)
	}
}
