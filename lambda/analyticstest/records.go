// Package analyticstest builds analytics test data in the exact shapes the pipeline sees:
// EMF events as the collector's awsemf exporter writes them, wrapped in CloudWatch Logs
// subscription messages as Firehose receives them, and Parquet files as Firehose's record
// format conversion writes them from the transform's rows.
package analyticstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/klauspost/compress/gzip"

	"ccwb.dev/contract/schema"
)

// Point is one metric data point as Claude Code and the collector produce it.
type Point struct {
	Time   time.Time
	Metric string
	Value  float64
	// Attrs are the data point's attributes by name ("user.email", "model", ...).
	Attrs map[string]string
}

// Namespace is the CloudWatch namespace the fixtures' EMF declares.
const Namespace = "ClaudeCode"

// awsemf translates these OpenTelemetry units; others pass through.
var emfUnits = map[string]string{"s": "Seconds", "ms": "Milliseconds", "By": "Bytes"}

// EMF returns one log event message as awsemf writes it: the metric values and attributes
// as top-level keys, OTelLib and Version, and the _aws metadata with the dimension set and
// the Unix-millisecond timestamp. The points must share time and attributes (awsemf groups
// data points that way); Go's encoding/json writes it, as in the collector.
func EMF(points ...Point) []byte {
	p0 := points[0]
	doc := map[string]any{"OTelLib": "com.anthropic.claude_code", "Version": "1"}
	var dims []string
	for k, v := range p0.Attrs {
		doc[k] = v
		dims = append(dims, k)
	}
	slices.Sort(dims)
	var metrics []map[string]any
	for _, p := range points {
		doc[p.Metric] = p.Value
		unit := "None"
		for _, m := range schema.Metrics {
			if m.Name == p.Metric {
				unit = m.Unit
			}
		}
		if u, ok := emfUnits[unit]; ok {
			unit = u
		}
		metrics = append(metrics, map[string]any{"Name": p.Metric, "Unit": unit})
	}
	doc["_aws"] = map[string]any{
		"CloudWatchMetrics": []any{map[string]any{"Namespace": Namespace, "Dimensions": [][]string{dims}, "Metrics": metrics}},
		"Timestamp":         p0.Time.UnixMilli(),
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// LogEvent is one CloudWatch Logs event.
type LogEvent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

type subscription struct {
	MessageType         string     `json:"messageType"`
	Owner               string     `json:"owner"`
	LogGroup            string     `json:"logGroup"`
	LogStream           string     `json:"logStream"`
	SubscriptionFilters []string   `json:"subscriptionFilters"`
	LogEvents           []LogEvent `json:"logEvents"`
}

// LogGroup is the metrics log group the fixtures claim to come from.
const LogGroup = "/aws/ccwb/metrics"

// DataRecord returns the Firehose record data of a DATA_MESSAGE carrying messages:
// gzip-compressed subscription JSON, exactly as CloudWatch Logs delivers it.
func DataRecord(messages ...[]byte) []byte {
	sub := subscription{
		MessageType: "DATA_MESSAGE", Owner: "123456789012", LogGroup: LogGroup,
		LogStream: "otel-stream", SubscriptionFilters: []string{"ccwb-analytics"},
	}
	for i, m := range messages {
		var ts int64
		var aws struct {
			AWS struct{ Timestamp int64 } `json:"_aws"`
		}
		if json.Unmarshal(m, &aws) == nil {
			ts = aws.AWS.Timestamp
		}
		sub.LogEvents = append(sub.LogEvents, LogEvent{
			ID: fmt.Sprintf("3%055d", i), Timestamp: ts, Message: string(m),
		})
	}
	return gzipJSON(sub)
}

// ControlRecord returns the record data of the CONTROL_MESSAGE CloudWatch Logs sends when
// a subscription is created.
func ControlRecord() []byte {
	return gzipJSON(subscription{
		MessageType: "CONTROL_MESSAGE", Owner: "CloudwatchLogs", LogGroup: "", LogStream: "",
		SubscriptionFilters: []string{},
		LogEvents: []LogEvent{{ID: "", Timestamp: 1732800000000,
			Message: "CWL CONTROL MESSAGE: Checking health of destination Firehose."}},
	})
}

// Gzip compresses b as CloudWatch Logs does.
func Gzip(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func gzipJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return Gzip(b)
}

// Event wraps record data in a Firehose transformation event.
func Event(records ...[]byte) events.KinesisFirehoseEvent {
	ev := events.KinesisFirehoseEvent{
		InvocationID:      "invocation-1",
		DeliveryStreamArn: "arn:aws:firehose:us-east-1:123456789012:deliverystream/ccwb-analytics",
		Region:            "us-east-1",
	}
	for i, r := range records {
		ev.Records = append(ev.Records, events.KinesisFirehoseEventRecord{
			RecordID: "49546986683135544286507457936321625675700192471156785154" + strconv.Itoa(i),
			Data:     r,
		})
	}
	return ev
}

// Batch returns a realistic invocation: records × perRecord EMF events of random users,
// models and metrics, deterministic for a seed.
func Batch(records, perRecord int, seed uint64) events.KinesisFirehoseEvent {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	data := make([][]byte, records)
	for r := range data {
		msgs := make([][]byte, perRecord)
		for e := range msgs {
			msgs[e] = EMF(randomPoints(rng, base.Add(time.Duration(r*perRecord+e)*time.Second))...)
		}
		data[r] = DataRecord(msgs...)
	}
	return Event(data...)
}

var (
	models      = []string{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-opus-4-1-20250805-v1:0"}
	tokenTypes  = []string{"input", "output", "cacheRead", "cacheCreation"}
	departments = []string{"engineering", "data-science", "platform", "security"}
	terminals   = []string{"vscode", "iTerm.app", "tmux", "ghostty"}
	languages   = []string{"Go", "TypeScript", "Python", "Markdown"}
)

// randomPoints returns the points of one EMF event: a user's identity attributes plus a
// metric's own attributes, as the collector attaches them.
func randomPoints(rng *rand.Rand, t time.Time) []Point {
	u := rng.IntN(200)
	email := fmt.Sprintf("developer.%03d@example%d.com", u, u%3)
	attrs := map[string]string{
		"user.email":      email,
		"user.id":         schema.StableID(email),
		"user.name":       fmt.Sprintf("Developer %03d", u),
		"organization":    fmt.Sprintf("example%d", u%3),
		"department":      departments[u%len(departments)],
		"team.id":         fmt.Sprintf("team-%02d", u%17),
		"cost_center":     fmt.Sprintf("cc-%d", 1000+u%9),
		"location":        "Berlin",
		"role":            "engineer",
		"manager":         fmt.Sprintf("lead.%02d@example%d.com", u%17, u%3),
		"session.id":      fmt.Sprintf("%08x-5e55-4000-8000-%012x", u, rng.IntN(8)),
		"organization.id": "b9d6e7f8-0000-4000-8000-000000000001",
		"app.version":     "2.0.14",
		"terminal.type":   terminals[u%len(terminals)],
	}
	switch k := rng.IntN(10); {
	case k < 6:
		attrs["model"] = models[rng.IntN(len(models))]
		attrs["type"] = tokenTypes[rng.IntN(len(tokenTypes))]
		return []Point{{Time: t, Metric: "claude_code.token.usage", Value: float64(rng.IntN(40000)), Attrs: attrs}}
	case k < 8:
		attrs["model"] = models[rng.IntN(len(models))]
		return []Point{{Time: t, Metric: "claude_code.cost.usage", Value: float64(rng.IntN(100000)) / 1e5, Attrs: attrs}}
	case k < 9:
		attrs["tool"] = "Edit"
		attrs["decision"] = "accept"
		attrs["language"] = languages[rng.IntN(len(languages))]
		return []Point{{Time: t, Metric: "claude_code.code_edit_tool.decision", Value: 1, Attrs: attrs}}
	default:
		attrs["type"] = "cli"
		return []Point{
			{Time: t, Metric: "claude_code.active_time.total", Value: float64(rng.IntN(600)) / 10, Attrs: attrs},
			{Time: t, Metric: "claude_code.session.count", Value: 1, Attrs: attrs},
		}
	}
}
