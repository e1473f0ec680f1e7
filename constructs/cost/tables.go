package cost

import (
	"fmt"
	"strings"

	"ccwb.dev/contract/stacks"
)

// Populations are the numbers of active users docs/platform/cost.md prices.
var Populations = []int{100, 1_000, 10_000}

// Stacks are the deployment's stacks, in the order the tables list them.
var Stacks = stacks.Parts

// money formats USD with thousands separators and cents.
func money(usd float64) string {
	s := fmt.Sprintf("%.2f", usd)
	whole, cents, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + cents
}

func count(n int) string { return strings.TrimSuffix(money(float64(n)), ".00") }

func row(cells ...string) string { return "| " + strings.Join(cells, " | ") + " |\n" }

func header(first string) string {
	cells := []string{first}
	sep := []string{"---"}
	for _, n := range Populations {
		cells = append(cells, count(n)+" users")
		sep = append(sep, "---:")
	}
	return row(cells...) + row(sep...)
}

// Tables are the generated sections of docs/platform/cost.md by marker name: the monthly
// cost of each stack, the line items, and the old dimension sets beside the new.
func Tables(now, old *Model) map[string]string {
	var after, was []Estimate
	for _, n := range Populations {
		after, was = append(after, now.Estimate(n)), append(was, old.Estimate(n))
	}
	var byStack strings.Builder
	byStack.WriteString(header("stack (USD a month)"))
	for _, s := range append(Stacks, "") {
		name := s
		if s == "" {
			name = "**total**"
		}
		cells := []string{name}
		for _, e := range after {
			cells = append(cells, money(e.Stack(s)))
		}
		byStack.WriteString(row(cells...))
	}

	var lines strings.Builder
	lines.WriteString(header("item (USD a month)"))
	for i, l := range after[0].Lines {
		cells := []string{l.Stack + ": " + l.Item}
		for _, e := range after {
			cells = append(cells, money(e.Lines[i].USD))
		}
		lines.WriteString(row(cells...))
	}

	var diff strings.Builder
	diff.WriteString(header("dimension sets"))
	metricLine := func(e Estimate) float64 {
		for _, l := range e.Lines {
			if strings.HasPrefix(l.Item, "CloudWatch custom metrics") {
				return l.USD
			}
		}
		return 0
	}
	for _, r := range []struct {
		name string
		est  []Estimate
		cell func(Estimate) string
	}{
		{"before: custom metrics (of them fed by one user)", was, func(e Estimate) string {
			return count(e.CustomMetrics.Total()) + " (" + count(e.CustomMetrics.PerUser) + ")"
		}},
		{"after: custom metrics", after, func(e Estimate) string { return count(e.CustomMetrics.Total()) }},
		{"before: custom metrics, USD", was, func(e Estimate) string { return money(metricLine(e)) }},
		{"after: custom metrics, USD", after, func(e Estimate) string { return money(metricLine(e)) }},
		{"before: monitoring stack, USD", was, func(e Estimate) string { return money(e.Stack(stacks.Monitoring)) }},
		{"after: monitoring stack, USD", after, func(e Estimate) string { return money(e.Stack(stacks.Monitoring)) }},
	} {
		cells := []string{r.name}
		for _, e := range r.est {
			cells = append(cells, r.cell(e))
		}
		diff.WriteString(row(cells...))
	}
	return map[string]string{
		"stacks": byStack.String(), "lines": lines.String(), "before-after": diff.String(),
		"prices": priceTable(), "usage": usageTable(now, old), "free": freeTable(),
	}
}

func freeTable() string {
	var b strings.Builder
	b.WriteString(row("resource", "why it costs nothing here") + row("---", "---"))
	for _, f := range Free {
		b.WriteString(row(f.Item, f.Why))
	}
	return b.String()
}

func usageTable(now, old *Model) string {
	u := now.Usage
	var b strings.Builder
	b.WriteString(row("assumption", "value") + row("---", "---:"))
	for _, r := range [][2]string{
		{"clock hours a month in which an active user's Claude Code exports", fmt.Sprint(u.ActiveHours)},
		{"data points a user exports in such an hour", fmt.Sprint(u.PointsPerHour)},
		{"OTLP requests a user sends in such an hour (one per 60 s export interval)", fmt.Sprint(u.ExportsPerHour)},
		{"busy hours a month, in which the active hours fall", fmt.Sprint(u.BusyHours)},
		{"bytes the load balancer processes per request, both ways", fmt.Sprint(u.RequestBytes)},
		{"VPC flow-log records per request, bytes each (a default-format record; 26 more per event are counted)", fmt.Sprintf("%v × %v", u.FlowRecords, u.FlowRecordBytes)},
		{"dashboard views a month, days each view covers", fmt.Sprintf("%v, %v", u.DashboardViews, u.DashboardDays)},
		{"saved Athena queries run a month, each over 30 days", fmt.Sprint(u.AthenaQueries)},
		{"bytes of an analytics row in Parquet", fmt.Sprint(u.ParquetRowBytes)},
		{"log events per CloudWatch Logs subscription record", fmt.Sprint(u.EventsPerRecord)},
		{"measured: bytes per data point in the metrics log group, after / before", fmt.Sprintf("%.0f / %.0f", now.EventBytes, old.EventBytes)},
		{"measured: subscription record bytes per byte of log events (gzip)", fmt.Sprintf("%.3f", now.RecordRatio)},
		{"derived: collector load in a busy hour at 10,000 users, data points/s", fmt.Sprintf("%.0f", now.PeakPointsPerSecond(10_000))},
		{"quota: Bedrock requests (invocation records) a user makes in an active hour", fmt.Sprint(now.Quota.RequestsPerHour)},
		{"quota: invocation records in one subscription delivery", fmt.Sprint(now.Quota.RecordsPerDelivery)},
		{"quota: federations (quota checks) a user-month", fmt.Sprint(now.Quota.FederationsPerMonth)},
		{"quota: consumer seconds a delivery, enforcer seconds a minute (256 MB)", fmt.Sprintf("%v, %v", now.Quota.ConsumerSeconds, now.Quota.EnforcerSeconds)},
		{"measured: bytes of an invocation record in its log group (the documented fields, and 26 an event)", fmt.Sprintf("%.0f", RecordBytes())},
	} {
		b.WriteString(row(r[0], r[1]))
	}
	return b.String()
}

func priceTable() string {
	var b strings.Builder
	b.WriteString(row("price", "USD", "per", "AWS page", "figure read from") + row("---", "---:", "---", "---", "---"))
	for _, p := range []struct {
		name string
		p    Price
	}{
		{"CloudWatch custom metrics", MetricPrice}, {"CloudWatch Logs ingestion", LogsIngest}, {"CloudWatch Logs storage", LogsStorage},
		{"Logs Insights", LogsInsights}, {"VPC flow logs to CloudWatch Logs", VendedLogs}, {"CloudWatch dashboard", DashboardPrice},
		{"CloudWatch alarm", AlarmPrice}, {"Fargate vCPU", FargateVCPU}, {"Fargate memory", FargateGB}, {"public IPv4 address", PublicIPv4},
		{"Application Load Balancer", ALBHour}, {"ALB capacity unit", ALBLCU}, {"KMS key", KMSKey},
		{"Firehose ingestion", FirehoseIngest}, {"Firehose Parquet conversion", FirehoseConversion},
		{"Lambda duration", LambdaGBs}, {"Lambda requests", LambdaRequests}, {"S3 Standard storage", S3Storage},
		{"S3 PUT", S3Put}, {"Athena", AthenaScan}, {"DynamoDB writes", DynamoWrite}, {"DynamoDB reads", DynamoRead},
		{"DynamoDB storage", DynamoStorage}, {"API Gateway HTTP API", HTTPAPI},
	} {
		from := p.p.ReadFrom
		if p.p.Unverified {
			from = "**not found:** " + from
		}
		b.WriteString(row(p.name, fmt.Sprint(p.p.USD), p.p.Unit, p.p.AWS, from))
	}
	return b.String()
}
