package cost

import (
	"time"

	"ccwb.dev/constructs/quota"
	qc "ccwb.dev/contract/quota"
	"ccwb.dev/contract/stacks"
	"ccwb.dev/lambda/quota/invocationlog/logtest"
	"ccwb.dev/lambda/quota/metrics"
)

// QuotaUsage are the assumptions of the quota stack's cost (docs/platform/cost.md states
// each with its reason).
type QuotaUsage struct {
	RequestsPerHour     float64 // Bedrock requests a user makes in an active hour: one invocation record each
	RecordsPerDelivery  float64 // invocation records in one subscription delivery (one consumer invocation)
	FederationsPerMonth float64 // credential-process federations (quota checks) a user-month
	ConsumerSeconds     float64 // the consumer's run time per delivery, at 256 MB
	EnforcerSeconds     float64 // the enforcer's run time per minute, at 256 MB
}

// DefaultQuotaUsage are the assumptions of docs/platform/cost.md.
var DefaultQuotaUsage = QuotaUsage{RequestsPerHour: 150, RecordsPerDelivery: 10, FederationsPerMonth: 40, ConsumerSeconds: 0.1, EnforcerSeconds: 0.2}

// The quota stack's sizes, from its code (lambda/quota, constructs/quota).
var (
	quotaMemoryGB = quota.FunctionMemoryMB / 1024.0
	quotaMetrics  = float64(len(metrics.All)) // in one Region
)

const (
	// wruPerRecord: a record in a transaction of its own with the day's and the month's
	// counters, each item written twice for the transaction (2 WRU an item up to 1 KB).
	wruPerRecord = 2 * 3
	// rruPerRecord: after the write, the profile (0.5, eventually consistent), the day's and
	// month's usage and the override (1 each, strongly consistent); the sweep's ledger read
	// (1, strongly consistent). Policies are cached a minute.
	rruPerRecord = 0.5 + 3 + 1
	// rruPerEnforce: the blocks and overrides, strongly consistent, every minute.
	rruPerEnforce = 2
	// per check: the profile write (1 WRU), usage, override and policies (about 4 RRU).
	wruPerCheck, rruPerCheck = 1, 4
	minutesPerMonth          = 30.4 * 24 * 60
)

// RecordBytes is the size of one invocation record as CloudWatch Logs counts it: the
// documented record (lambda/quota/invocationlog/testdata) and the 26 bytes of an event.
func RecordBytes() float64 {
	r := logtest.Record(time.Unix(1764547200, 0), logtest.Role, "00u1abcd2EFGH3ijk4l5", "915a6a04-1e9d-4a8e-9e6a-2c0f8b0c7d11", logtest.Sonnet, 35, 446)
	return float64(len(r) + eventOverhead)
}

// quota adds the quota stack's lines for users active users, in one Region.
func (m *Model) quota(est *Estimate, users float64) {
	q := m.Quota
	add := func(item string, usd float64) { est.Lines = append(est.Lines, Line{stacks.Quota, item, usd}) }
	records := users * m.Usage.ActiveHours * q.RequestsPerHour
	logGB := records * RecordBytes() / gib
	add("CloudWatch Logs: invocation log ingestion and storage (30 days)", logGB*(LogsIngest.USD+LogsStorage.USD))
	deliveries := records / q.RecordsPerDelivery
	enforces := minutesPerMonth
	sweeps := 30.4 * 24
	gbSeconds := (deliveries*q.ConsumerSeconds + enforces*q.EnforcerSeconds + sweeps*q.ConsumerSeconds) * quotaMemoryGB
	add("Lambda: consumer, enforcer (every minute), sweep, check", gbSeconds*LambdaGBs.USD+(deliveries+enforces+sweeps+users*q.FederationsPerMonth)/1e6*LambdaRequests.USD)
	checks := users * q.FederationsPerMonth
	wru := records*wruPerRecord + checks*wruPerCheck
	rru := records*rruPerRecord + enforces*rruPerEnforce + checks*rruPerCheck
	add("DynamoDB on demand: counting each record once, reads, checks", wru/1e6*DynamoWrite.USD+rru/1e6*DynamoRead.USD)
	// The ledger keeps quota.LedgerDays of records (about 100 bytes an item with DynamoDB's
	// overhead); usage, profiles and policies are a few KB a user.
	storageGB := (records*qc.LedgerDays/30.4*100 + users*20_000) / gib
	add("DynamoDB storage (ledger, usage)", storageGB*DynamoStorage.USD)
	add("HTTP API: quota checks", checks/1e6*HTTPAPI.USD)
	add("Metrics, alarms, dashboard, topic KMS key", quotaMetrics*MetricPrice.USD+QuotaAlarms*AlarmPrice.USD+DashboardPrice.USD+KMSKey.USD)
}
