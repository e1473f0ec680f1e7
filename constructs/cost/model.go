package cost

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"ccwb.dev/constructs/analytics"
	"ccwb.dev/constructs/monitoring"
	"ccwb.dev/contract/stacks"
	"ccwb.dev/lambda/analyticstest"
)

// Usage are the assumptions about how people use Claude Code; docs/platform/cost.md states
// each with its reason.
type Usage struct {
	ActiveHours     float64 // clock hours a month in which a user's Claude Code exports metrics
	PointsPerHour   float64 // data points a user exports in such an hour
	ExportsPerHour  float64 // OTLP requests a user sends in such an hour
	BusyHours       float64 // hours a month in which the users' active hours fall
	RequestBytes    float64 // bytes the load balancer processes per export, both ways
	FlowRecords     float64 // VPC flow-log records per export
	FlowRecordBytes float64 // bytes of one flow-log record
	DashboardViews  float64 // dashboard loads a month (each runs the Logs Insights widgets)
	DashboardDays   float64 // the dashboard's time range
	AthenaQueries   float64 // saved-query runs a month, each over 30 days of rows
	ParquetRowBytes float64 // bytes of one analytics row in Parquet
	EventsPerRecord int     // log events in one CloudWatch Logs subscription record
}

// DefaultUsage are the assumptions of docs/platform/cost.md.
var DefaultUsage = Usage{
	ActiveHours: 120, PointsPerHour: 300, ExportsPerHour: 60, BusyHours: 220,
	RequestBytes: 4096, FlowRecords: 2, FlowRecordBytes: 110,
	DashboardViews: 60, DashboardDays: 7, AthenaQueries: 200, ParquetRowBytes: 18, EventsPerRecord: 1000,
}

// Sizing of the stacks, from the constructs.
const (
	hoursPerMonth      = 730
	gib                = 1 << 30
	eventOverhead      = 26 // bytes PutLogEvents counts per event besides its message
	firehoseRecordStep = 5 * 1024
	// transformSecondsPerMB is the transform Lambda's measured CPU time per MB of base64
	// record data, request in to response out: about 60 ms (docs/analyst/README.md;
	// BenchmarkTransform/invoke, 16.5 MB per CPU-second).
	transformSecondsPerMB = 0.060
	// containerInsightsMetrics are the custom metrics Container Insights makes for one
	// cluster, one service and one task family: 11 by cluster, 13 by service, 8 by task
	// family (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html).
	containerInsightsMetrics = 32
	dashboards               = 1
)

// MonitoringAlarms and QuotaAlarms are the CloudWatch alarms of the monitoring and quota
// stacks (constructs/monitoring/alarms.go, constructs/quota/dashboard.go); the stack tests
// in cdk/ count them in the synthesized templates.
const (
	MonitoringAlarms = 4
	QuotaAlarms      = 6
)

// peopleWidgets are the dashboard's Logs Insights widgets: each view runs every one.
func peopleWidgets() float64 {
	n := 0
	for _, row := range monitoring.PeopleQueries {
		n += len(row)
	}
	return float64(n)
}

// Model prices one collector configuration.
type Model struct {
	Usage    Usage
	Quota    QuotaUsage
	Exporter *Exporter
	// EventBytes is the mean size of one log event (message and PutLogEvents' 26 bytes),
	// RecordRatio the size of a subscription record per byte of its events' messages:
	// both measured on a 200-user synthetic population.
	EventBytes, RecordRatio float64
}

// NewModel sizes the log events exp writes.
func NewModel(u Usage, exp *Exporter) *Model {
	var sizes []int
	var events [][]byte
	total := 0
	for p := range (Population{Users: 200}).Points {
		e := exp.Event(p, 1234.5, "Count", 1764547200000)
		sizes = append(sizes, len(e)+eventOverhead)
		events = append(events, e)
		total += len(e)
	}
	// A subscription record carries events from many users in arrival order.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	packed, raw := 0, 0
	for i := 0; i+u.EventsPerRecord <= len(events); i += u.EventsPerRecord {
		packed += len(analyticstest.DataRecord(events[i : i+u.EventsPerRecord]...))
		for _, e := range events[i : i+u.EventsPerRecord] {
			raw += len(e)
		}
	}
	sum := 0
	for _, s := range sizes {
		sum += s
	}
	return &Model{Usage: u, Quota: DefaultQuotaUsage, Exporter: exp, EventBytes: float64(sum) / float64(len(sizes)), RecordRatio: float64(packed) / float64(raw)}
}

// Line is one item of a stack's monthly bill.
type Line struct {
	Stack, Item string
	USD         float64
}

// Estimate is a deployment's monthly bill for a number of active users.
type Estimate struct {
	Users         int
	CustomMetrics Census
	Lines         []Line
}

// Stack is the total of a stack ("auth", "monitoring", "analytics"; "" for all).
func (e Estimate) Stack(name string) float64 {
	t := 0.0
	for _, l := range e.Lines {
		if name == "" || l.Stack == name {
			t += l.USD
		}
	}
	return t
}

// metricMonths prices metric-months in CloudWatch's tiers.
func metricMonths(n float64) float64 {
	usd, below := 0.0, 0.0
	for _, t := range MetricTiers {
		upTo := t.UpTo
		if upTo == 0 {
			upTo = math.Inf(1)
		}
		usd += (math.Min(n, upTo) - math.Min(n, below)) * t.USD
		below = upTo
	}
	return usd
}

// Estimate prices a month of users active users.
func (m *Model) Estimate(users int) Estimate {
	u := m.Usage
	n := float64(users)
	points := n * u.ActiveHours * u.PointsPerHour
	logGB := points * m.EventBytes / gib
	c := Population{Users: users}.Count(m.Exporter)
	est := Estimate{Users: users, CustomMetrics: c}
	add := func(stack, item string, usd float64) { est.Lines = append(est.Lines, Line{stack, item, usd}) }

	add(stacks.Auth, "IAM OIDC provider, role, STS; Cognito identity pool (see Free)", 0)
	tasks := float64(monitoring.DefaultMinTasks)
	add(stacks.Monitoring, "Fargate tasks", tasks*hoursPerMonth*(monitoring.TaskCPU/1024.0*FargateVCPU.USD+monitoring.TaskMemoryMiB/1024.0*FargateGB.USD))
	add(stacks.Monitoring, "Public IPv4 addresses (tasks, load balancer nodes)", (tasks+monitoring.AvailabilityZones)*hoursPerMonth*PublicIPv4.USD)
	add(stacks.Monitoring, "Load balancer hours", hoursPerMonth*ALBHour.USD)
	add(stacks.Monitoring, "Load balancer capacity units", u.BusyHours*m.busyLCU(n)*ALBLCU.USD)
	// Per-user metrics are billed for the hours their user sends; shared ones, all month.
	months := float64(c.Shared) + float64(c.PerUser)*u.ActiveHours/hoursPerMonth + containerInsightsMetrics
	add(stacks.Monitoring, "CloudWatch custom metrics (EMF and Container Insights)", metricMonths(months))
	add(stacks.Monitoring, "CloudWatch Logs: metrics log group ingestion", logGB*LogsIngest.USD)
	add(stacks.Monitoring, "CloudWatch Logs: storage (retention, uncompressed: an upper bound)", logGB*monitoring.DefaultLogRetentionDays/30.4*LogsStorage.USD)
	flowGB := n * u.ActiveHours * u.ExportsPerHour * u.FlowRecords * (u.FlowRecordBytes + eventOverhead) / gib
	add(stacks.Monitoring, "VPC flow logs", flowGB*(VendedLogs.USD+monitoring.DefaultLogRetentionDays/30.4*LogsStorage.USD))
	scanGB := logGB * u.DashboardDays / 30.4
	add(stacks.Monitoring, "Logs Insights: dashboard widgets", u.DashboardViews*peopleWidgets()*scanGB*LogsInsights.USD)
	add(stacks.Monitoring, "Dashboard, alarms, alarm-topic KMS key", dashboards*DashboardPrice.USD+MonitoringAlarms*AlarmPrice.USD+KMSKey.USD)

	m.analytics(&est, points)
	m.quota(&est, n)
	m.distribution(&est)
	return est
}

// busyLCU are the load balancer capacity units of a busy hour: each active user exports
// once per interval, on a new connection (the idle timeout is below the interval).
func (m *Model) busyLCU(users float64) float64 {
	u := m.Usage
	concurrent := users * u.ActiveHours / u.BusyHours
	newConnections := concurrent * u.ExportsPerHour / 3600 / 25
	active := concurrent / 3000
	processed := concurrent * u.ExportsPerHour * u.RequestBytes / gib
	return math.Max(newConnections, math.Max(active, processed))
}

// PeakPointsPerSecond is the collector's load in a busy hour.
func (m *Model) PeakPointsPerSecond(users int) float64 {
	return float64(users) * m.Usage.ActiveHours / m.Usage.BusyHours * m.Usage.PointsPerHour / 3600
}

func (m *Model) analytics(est *Estimate, points float64) {
	u := m.Usage
	add := func(item string, usd float64) { est.Lines = append(est.Lines, Line{stacks.Analytics, item, usd}) }
	recordBytes := float64(u.EventsPerRecord) * (m.EventBytes - eventOverhead) * m.RecordRatio
	billed := math.Ceil(recordBytes/firehoseRecordStep) * firehoseRecordStep
	ingestGB := points / float64(u.EventsPerRecord) * billed / gib
	add("Firehose ingestion and Parquet conversion", ingestGB*(FirehoseIngest.USD+FirehoseConversion.USD))
	ingestMB := ingestGB * 1024
	gbSeconds := ingestMB * 4 / 3 * transformSecondsPerMB * analytics.TransformMemoryMB / 1024
	add("Transform Lambda", gbSeconds*LambdaGBs.USD+ingestMB/transformBufferMB()/1e6*LambdaRequests.USD)
	months := float64(analytics.DefaultRetentionDays) / 30.4
	rowsGB := points * u.ParquetRowBytes / gib
	objects := 30.4 * 24 * 3600 / analytics.DefaultBufferSeconds
	add("S3: Parquet kept for the retention, Firehose PUTs", rowsGB*months*S3Storage.USD+objects/1000*S3Put.USD)
	perQueryTB := math.Max(rowsGB*30/30.4, 10.0/1024) / 1024
	add("Athena: saved queries over 30 days", u.AthenaQueries*perQueryTB*AthenaScan.USD)
}

// transformBufferMB is the MB of records Firehose hands the transform per invocation
// (analytics.TransformBufferMB, a CloudFormation parameter string).
func transformBufferMB() float64 {
	mb, err := strconv.ParseFloat(analytics.TransformBufferMB, 64)
	if err != nil || mb <= 0 {
		panic(fmt.Sprintf("cost: analytics.TransformBufferMB %q is not a size in MB", analytics.TransformBufferMB))
	}
	return mb
}
