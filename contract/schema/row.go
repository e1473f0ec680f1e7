package schema

import "time"

// ColumnType is a Glue/Athena column type.
type ColumnType string

// The column types an analytics row uses.
const (
	String    ColumnType = "string"
	Double    ColumnType = "double"
	Timestamp ColumnType = "timestamp"
)

// Column is one column of the analytics table.
type Column struct {
	Name string
	Type ColumnType
	Doc  string
}

// Row is one metric data point, flattened: the analytics table's row. The transform
// Lambda emits it, the Glue table's columns come from Columns, and the Athena queries
// read it.
type Row struct {
	Time   time.Time // when the data point was recorded (UTC)
	Metric string    // the Claude Code metric, e.g. "claude_code.token.usage"
	Value  float64
	Unit   string
	// Attrs holds the value of Attributes[i] at index i ("" when absent).
	Attrs [NumAttributes]string
}

// Fixed columns, first in every row, in this order.
var fixedColumns = []Column{
	{Name: "event_time", Type: Timestamp, Doc: "when the data point was recorded (UTC)"},
	{Name: "metric_name", Type: String, Doc: "the Claude Code metric, e.g. claude_code.token.usage"},
	{Name: "value", Type: Double, Doc: "the data point's value"},
	{Name: "unit", Type: String, Doc: "the metric's unit, e.g. tokens, USD, s"},
}

// Columns returns the analytics table's columns in row order: the fixed columns, then one
// string column per attribute.
func Columns() []Column {
	cols := append([]Column(nil), fixedColumns...)
	for _, a := range Attributes {
		cols = append(cols, Column{Name: a.Column(), Type: String, Doc: a.Doc})
	}
	return cols
}

// PartitionKeys are the table's partition columns, in S3 prefix order
// (year=YYYY/month=MM/day=DD/hour=HH); they are not stored in the row.
var PartitionKeys = []string{"year", "month", "day", "hour"}

// The Claude Code metrics, by the names Claude Code exports them under.
const (
	MetricSession      = "claude_code.session.count"
	MetricLinesOfCode  = "claude_code.lines_of_code.count"
	MetricPullRequest  = "claude_code.pull_request.count"
	MetricCommit       = "claude_code.commit.count"
	MetricCost         = "claude_code.cost.usage"
	MetricToken        = "claude_code.token.usage"
	MetricEditDecision = "claude_code.code_edit_tool.decision"
	MetricActiveTime   = "claude_code.active_time.total"
)

// Metrics lists the Claude Code metrics the pipeline keeps, with their units.
var Metrics = []struct{ Name, Unit string }{
	{MetricSession, "count"},
	{MetricLinesOfCode, "count"},
	{MetricPullRequest, "count"},
	{MetricCommit, "count"},
	{MetricCost, "USD"},
	{MetricToken, "tokens"},
	{MetricEditDecision, "count"},
	{MetricActiveTime, "s"},
}
