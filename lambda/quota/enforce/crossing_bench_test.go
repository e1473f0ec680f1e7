package enforce

import (
	"fmt"
	"testing"
	"time"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/invocationlog/logtest"
	"ccwb.dev/lambda/quota/store"
)

// The stages of a crossing that this repository cannot run, with what AWS says of them
// (docs/platform/quotas.md, "How fast a block takes effect").
const (
	// Bedrock writes the invocation record to the log group: AWS documents no bound; the
	// AgentCore page reads the records "within seconds". Assumed.
	bedrockToLogs = 10 * time.Second
	// CloudWatch Logs delivers the events to the subscribed function "soon after being
	// ingested, usually less than three minutes" (AWS's subscriptions page). Assumed 10 s.
	logsToConsumer = 10 * time.Second
	// The table's stream invokes the enforcer: DynamoDB Streams "near-real time"; assumed 1 s.
	// Its safety net, the schedule, runs every minute.
	streamToEnforcer = time.Second
	// IAM applies the new policy version: "a few minutes" (eventual consistency, no bound);
	// a third party measured about 4 s. Taken as 180 s.
	iamPropagation = 180 * time.Second
)

// BenchmarkCrossingToDeny measures the two stages that are ours, on moto (the consumer
// counting the crossing record and writing the block; the enforcer writing the deny
// policy's new version), and reports the simulated time from Bedrock's record to the deny in
// force with each stage's share: through the stream, and through the one-minute schedule.
func BenchmarkCrossingToDeny(b *testing.B) {
	e, s, _ := setup(b, 1)
	limit := quota.Policy{Scope: quota.Default, Metric: quota.Tokens, Period: quota.Monthly, Limit: 1000, Action: quota.Block}
	if err := s.PutPolicy(ctx, limit, "bench", now); err != nil {
		b.Fatal(err)
	}
	h := &ingest.Handler{Store: s, Caller: invocationlog.Caller{Account: logtest.Account, Role: logtest.Role},
		Counter: store.Counter{Prices: pricing.Defaults, Location: time.UTC}, Policies: &store.PolicyCache{Store: s},
		UnknownGroups: quota.UnknownStrictest, Now: func() time.Time { return now }}
	var consumer, enforcer time.Duration
	i := 0
	for b.Loop() {
		sub := fmt.Sprint("00ubench", i)
		i++
		ev := logtest.Event(now, logtest.Record(now, logtest.Role, sub, "req-"+sub, logtest.Sonnet, 2000, 0))
		t0 := time.Now()
		if err := h.Handle(ctx, ev); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		res, err := e.Enforce(ctx)
		if err != nil || len(res.Rewritten) != 1 || res.Enforced != i {
			b.Fatalf("enforce: %+v %v", res, err)
		}
		consumer += t1.Sub(t0)
		enforcer += time.Since(t1)
	}
	n := time.Duration(b.N)
	stages := []struct {
		name string
		d    time.Duration
	}{{"bedrock-to-logs", bedrockToLogs}, {"logs-to-consumer", logsToConsumer}, {"consumer", consumer / n},
		{"stream-to-enforcer", streamToEnforcer}, {"enforcer", enforcer / n}, {"iam", iamPropagation}}
	var total time.Duration
	for _, st := range stages {
		total += st.d
	}
	for _, st := range stages {
		b.ReportMetric(100*st.d.Seconds()/total.Seconds(), st.name+"-%")
	}
	b.ReportMetric((consumer/n).Seconds()*1000, "consumer-ms")
	b.ReportMetric((enforcer/n).Seconds()*1000, "enforcer-ms")
	b.ReportMetric(total.Seconds(), "stream-total-s")
	b.ReportMetric((total - streamToEnforcer + time.Minute).Seconds(), "schedule-total-s")
}
