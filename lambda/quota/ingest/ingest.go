// Package ingest is the quota consumer: Bedrock invocation log records (from a CloudWatch
// Logs subscription, or the sweep) become usage of their verified subject, each counted
// once; a user who crosses a threshold gets a notification marker, and one who crosses a
// block limit a block record, which the enforcer turns into the IAM deny.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/metrics"
	"ccwb.dev/lambda/quota/store"
)

// Handler counts records and evaluates the limits of the users they name.
type Handler struct {
	Store         *store.Store
	Caller        invocationlog.Caller // the Bedrock role whose sessions are metered
	Counter       store.Counter
	Policies      *store.PolicyCache
	UnknownGroups string
	Deployment    string
	Now           func() time.Time
	Metrics       io.Writer // EMF lines (stdout in Lambda)
}

// Result is what one batch did.
type Result struct {
	Counted, Unmetered, Foreign, Skipped int
}

// Handle is the CloudWatch Logs subscription handler. An error makes Lambda retry the
// whole event: what was counted stays counted once.
func (h *Handler) Handle(ctx context.Context, ev events.CloudwatchLogsEvent) error {
	data, err := ev.AWSLogs.Parse()
	if err != nil {
		return fmt.Errorf("decode the subscription event: %w", err)
	}
	if data.MessageType != "DATA_MESSAGE" {
		return nil // CONTROL_MESSAGE: CloudWatch Logs checking the destination
	}
	messages := make([][]byte, len(data.LogEvents))
	for i, e := range data.LogEvents {
		messages[i] = []byte(e.Message)
	}
	res, err := h.Messages(ctx, messages)
	h.emit(res)
	return err
}

// Messages parses log event messages and counts them (the sweep calls it too).
func (h *Handler) Messages(ctx context.Context, messages [][]byte) (Result, error) {
	var res Result
	var recs []invocationlog.Record
	for _, m := range messages {
		r, err := invocationlog.Parse(m)
		if errors.Is(err, invocationlog.ErrNotInvocation) {
			res.Skipped++
			continue
		}
		if err != nil {
			log.Printf("skip a log event: %v", err) // never the message: it may hold text
			res.Skipped++
			continue
		}
		recs = append(recs, r)
	}
	return h.Records(ctx, recs, res)
}

// Records counts parsed records, grouped by subject, then evaluates each subject's limits.
func (h *Handler) Records(ctx context.Context, recs []invocationlog.Record, res Result) (Result, error) {
	bySubject := map[string][]store.Invocation{}
	var order []string
	seen := map[string]bool{}
	for _, r := range recs {
		sub, ok := h.Caller.Subject(r)
		if !ok {
			res.Foreign++
			continue
		}
		if !r.Metered {
			res.Unmetered++
		}
		if seen[r.Region+"#"+r.RequestID] { // DynamoDB refuses two actions on one item
			continue
		}
		seen[r.Region+"#"+r.RequestID] = true
		if _, ok := bySubject[sub]; !ok {
			order = append(order, sub)
		}
		bySubject[sub] = append(bySubject[sub], store.Invocation{Region: r.Region, RequestID: r.RequestID, Model: r.ModelID, Time: r.Time, Tokens: r.Tokens})
	}
	for _, sub := range order {
		n, err := h.Store.Count(ctx, h.Counter, sub, bySubject[sub])
		res.Counted += n
		if err != nil {
			return res, err
		}
		if n == 0 {
			continue
		}
		if err := h.Evaluate(ctx, sub); err != nil {
			return res, err
		}
	}
	return res, nil
}

// Evaluate compares a subject's usage with the policies that apply to them: each threshold
// reached gets its notification marker (once a period), and a block limit reached a block
// record (unless an administrator's override is in force).
func (h *Handler) Evaluate(ctx context.Context, sub string) error {
	now := h.Now()
	policies, err := h.Policies.Get(ctx, now)
	if err != nil {
		return err
	}
	subject, email, err := h.Store.Profile(ctx, sub)
	if err != nil {
		return err
	}
	eff := quota.Effective(policies, subject, h.UnknownGroups)
	if len(eff) == 0 {
		return nil
	}
	usage, err := h.Store.Usage(ctx, sub, periodKeys(eff, now, h.Counter.Location)...)
	if err != nil {
		return err
	}
	override, err := h.Store.OverrideOf(ctx, sub, now)
	if err != nil {
		return err
	}
	for _, st := range quota.Assess(eff, func(k string) quota.Usage { return usage[k] }, now, h.Counter.Location) {
		if err := h.act(ctx, sub, email, st, override, now); err != nil {
			return err
		}
	}
	return nil
}

func (h *Handler) act(ctx context.Context, sub, email string, st quota.Status, override, now time.Time) error {
	for _, pct := range st.Reached {
		msg := Notification(sub, email, st, pct)
		if _, err := h.Store.PutNote(ctx, sub, quota.NoteSK(st.Key, st.Policy, pct), msg, st.ResetsAt.AddDate(0, 0, 1)); err != nil {
			return err
		}
	}
	if st.Blocked && !override.After(now) {
		b := store.Block{Subject: sub, Policy: st.Policy, Limit: st.Policy.Limit, Used: st.Used, Since: now, Until: st.ResetsAt}
		if _, err := h.Store.PutBlock(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func periodKeys(ps []quota.Policy, now time.Time, loc *time.Location) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		k := quota.PeriodKey(p.Period, now, loc)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// Notification is the administrators' message for a threshold reached.
func Notification(sub, email string, st quota.Status, pct int) string {
	v := quota.Verdict{Metric: st.Policy.Metric}
	what := "reached"
	if pct == 100 && st.Policy.Action == quota.Block {
		what = "reached; Bedrock is denied until " + st.ResetsAt.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("ccwb quota: %s (%s) used %s of the %s %s limit %s (%d%% %s; %s policy %s)",
		sub, email, v.Amount(st.Used), st.Policy.Period, st.Policy.Metric, v.Amount(st.Policy.Limit), pct, what, st.Policy.Scope, st.Policy.ID())
}

func (h *Handler) emit(res Result) {
	if h.Metrics == nil {
		return
	}
	vals := map[string]float64{metrics.RecordsCounted: float64(res.Counted), metrics.RecordsUnmetered: float64(res.Unmetered), metrics.RecordsForeign: float64(res.Foreign)}
	if err := metrics.Emit(h.Metrics, h.Deployment, h.Now(), vals); err != nil {
		log.Printf("emit metrics: %v", err)
	}
}
