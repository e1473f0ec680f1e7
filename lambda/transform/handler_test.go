package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"ccwb.dev/contract/schema"
	"ccwb.dev/lambda/analyticstest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

var t0 = time.Date(2026, 11, 3, 14, 5, 6, 789e6, time.UTC)

func identity(email string) map[string]string {
	return map[string]string{
		"user.email": email, "user.id": schema.StableID(email), "organization": "example",
		"department": "engineering", "team.id": "platform", "cost_center": "cc-1",
		"session.id": "s-1", "terminal.type": "vscode",
	}
}

func with(attrs map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range attrs {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// rowsOf parses NDJSON output into schema rows, failing on any key that is not a column.
func rowsOf(t *testing.T, ndjson []byte) []schema.Row {
	t.Helper()
	cols := map[string]bool{}
	for _, c := range schema.Columns() {
		cols[c.Name] = true
	}
	var rows []schema.Row
	for _, line := range strings.Split(strings.TrimSuffix(string(ndjson), "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("row is not JSON: %v\n%s", err, line)
		}
		for k := range m {
			if !cols[k] {
				t.Fatalf("row key %q is not a column", k)
			}
		}
		r := schema.Row{
			Time:   time.UnixMilli(int64(m["event_time"].(float64))).UTC(),
			Metric: m["metric_name"].(string), Value: m["value"].(float64), Unit: m["unit"].(string),
		}
		for i, a := range schema.Attributes {
			if v, ok := m[a.Column()]; ok {
				r.Attrs[i] = v.(string)
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func row(p analyticstest.Point) schema.Row {
	r := schema.Row{Time: p.Time.Truncate(time.Millisecond), Metric: p.Metric, Value: p.Value}
	for _, m := range schema.Metrics {
		if m.Name == p.Metric {
			r.Unit = m.Unit
		}
	}
	for k, v := range p.Attrs {
		r.Attrs[schema.AttributeIndex(k)] = v
	}
	return r
}

func TestHandleAnswersEveryRecord(t *testing.T) {
	id := identity(`zoë."quoted" <dev>@example.com`)
	tokIn := analyticstest.Point{Time: t0, Metric: "claude_code.token.usage", Value: 1234, Attrs: with(id, "model", "us.anthropic.claude-sonnet-4-5", "type", "input")}
	tokOut := analyticstest.Point{Time: t0.Add(time.Second), Metric: "claude_code.token.usage", Value: 56, Attrs: with(id, "model", "us.anthropic.claude-sonnet-4-5", "type", "output")}
	active := analyticstest.Point{Time: t0, Metric: "claude_code.active_time.total", Value: 12.5, Attrs: with(id, "type", "cli")}
	sessions := analyticstest.Point{Time: t0, Metric: "claude_code.session.count", Value: 1, Attrs: with(id, "type", "cli")}
	other := analyticstest.Point{Time: t0, Metric: "otelcol_exporter_sent_metric_points", Value: 9, Attrs: id}

	ev := analyticstest.Event(
		analyticstest.DataRecord(analyticstest.EMF(tokIn), analyticstest.EMF(tokOut), analyticstest.EMF(other)),
		analyticstest.ControlRecord(),
		analyticstest.DataRecord(analyticstest.EMF(other)),
		[]byte("not gzip"),
		analyticstest.Gzip([]byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"plain text, not EMF"}]}`)),
		analyticstest.DataRecord(analyticstest.EMF(active, sessions)),
		analyticstest.Gzip([]byte(`{"messageType":"DATA_MESSAGE","logEvents":[`)),
	)
	resp, _ := invoke(t, &Handler{Log: quiet}, ev)
	want := []string{"Ok", "Dropped", "Dropped", "ProcessingFailed", "ProcessingFailed", "Ok", "ProcessingFailed"}
	if len(resp.Records) != len(ev.Records) {
		t.Fatalf("%d answers for %d records", len(resp.Records), len(ev.Records))
	}
	for i, r := range resp.Records {
		if r.RecordID != ev.Records[i].RecordID || r.Result != want[i] {
			t.Errorf("record %d: %s %s, want %s %s", i, r.RecordID, r.Result, ev.Records[i].RecordID, want[i])
		}
		if r.Result != "Ok" && len(r.Data) != 0 {
			t.Errorf("record %d (%s) carries data", i, r.Result)
		}
	}
	got := append(rowsOf(t, resp.Records[0].Data), rowsOf(t, resp.Records[5].Data)...)
	wantRows := []schema.Row{row(tokIn), row(tokOut), row(active), row(sessions)}
	if !slices.Equal(got, wantRows) {
		t.Errorf("rows:\n got %+v\nwant %+v", got, wantRows)
	}
}

func TestRowKeysAreExactlyTheColumns(t *testing.T) {
	attrs := map[string]string{}
	for _, a := range schema.Attributes {
		attrs[a.Name] = a.Name + "-value"
	}
	p := analyticstest.Point{Time: t0, Metric: "claude_code.commit.count", Value: 2, Attrs: attrs}
	out, rows, kind, err := new(Decoder).Decode(nil, analyticstest.DataRecord(analyticstest.EMF(p)))
	if err != nil || rows != 1 || kind != Data {
		t.Fatalf("Decode: %d rows, kind %d, %v", rows, kind, err)
	}
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(out))
	tok, _ := dec.Token()
	for dec.More() && tok != nil {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var v any
		dec.Decode(&v)
	}
	var want []string
	for _, c := range schema.Columns() {
		want = append(want, c.Name)
	}
	if !slices.Equal(keys, want) {
		t.Errorf("row keys\n got %v\nwant %v", keys, want)
	}
	if !bytes.HasPrefix(out, []byte(`{"event_time":`+strconv.FormatInt(t0.UnixMilli(), 10)+`,`)) {
		t.Errorf("event_time is not Unix milliseconds: %s", out)
	}
}

func TestMetricValueShapes(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        []float64
		fails       bool
	}{
		{"number", `3`, []float64{3}, false},
		{"array", `[1,2.5]`, []float64{1, 2.5}, false},
		{"statistic set", `{"Count":2,"Sum":7,"Min":3,"Max":4}`, []float64{7}, false},
		{"statistic set without sum", `{"Count":2}`, nil, true},
		{"string", `"3"`, nil, true},
		{"out of range", `1e999`, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := `{"_aws":{"Timestamp":1794146706789},"claude_code.commit.count":` + tc.value + `,"user.email":"a@b.c"}`
			rec := analyticstest.Gzip([]byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":5,"message":` + quote(msg) + `}]}`))
			out, _, _, err := new(Decoder).Decode(nil, rec)
			if tc.fails {
				if err == nil {
					t.Fatalf("accepted %s", tc.value)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []float64
			for _, r := range rowsOf(t, out) {
				got = append(got, r.Value)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("values %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTimestampFallsBackToLogEvent(t *testing.T) {
	msg := `{"claude_code.commit.count":1}`
	rec := analyticstest.Gzip([]byte(`{"logEvents":[{"message":` + quote(msg) + `,"timestamp":1794146706000}],"messageType":"DATA_MESSAGE"}`))
	out, _, _, err := new(Decoder).Decode(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	if r := rowsOf(t, out); r[0].Time.UnixMilli() != 1794146706000 {
		t.Errorf("time %v", r[0].Time)
	}
}

// invoke runs h as main has the Lambda runtime run it (the request and the response as
// JSON) and returns the response and its size in bytes.
func invoke(t *testing.T, h *Handler, ev events.KinesisFirehoseEvent) (events.KinesisFirehoseResponse, int) {
	t.Helper()
	payload, _ := json.Marshal(ev)
	out, err := lambda.NewHandler(h.Handle).Invoke(context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.KinesisFirehoseResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response is not JSON: %v", err)
	}
	return resp, len(out)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

type fakeReingest struct {
	got  [][]byte
	fail error
	// refuse refuses the record at this position of the call, -1 for none.
	refuse int
}

func (f *fakeReingest) Reingest(_ context.Context, arn string, recs [][]byte) ([]bool, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	f.got = append(f.got, recs...)
	failed := make([]bool, len(recs))
	if f.refuse >= 0 && f.refuse < len(recs) {
		failed[f.refuse] = true
	}
	return failed, nil
}

func allRows(t *testing.T, resp events.KinesisFirehoseResponse) int {
	n := 0
	for _, r := range resp.Records {
		if r.Result == "Ok" {
			n += bytes.Count(r.Data, []byte("\n"))
		}
	}
	return n
}

func TestResponseLimitPutsOverflowBack(t *testing.T) {
	ev := analyticstest.Batch(40, 50, 7)
	full, _ := (&Handler{Log: quiet}).Handle(context.Background(), ev)
	wantRows := allRows(t, full)

	budget := 200 << 10
	re := &fakeReingest{refuse: -1}
	h := &Handler{Reingest: re, Budget: budget, Log: quiet}
	resp, n := invoke(t, h, ev)
	if n > budget {
		t.Fatalf("response is %d bytes, budget %d", n, budget)
	}
	dropped := 0
	for i, r := range resp.Records {
		if r.Result == "Dropped" {
			if !bytes.Equal(re.got[dropped], ev.Records[i].Data) {
				t.Fatalf("record %d was dropped but not put back unchanged", i)
			}
			dropped++
		} else if r.Result != "Ok" {
			t.Fatalf("record %d: %s", i, r.Result)
		}
	}
	if dropped == 0 || dropped != len(re.got) {
		t.Fatalf("%d dropped, %d put back: the budget did not bite", dropped, len(re.got))
	}
	// Firehose delivers the put-back records again; follow them until all rows are out.
	rows := allRows(t, resp)
	for pending := re.got; len(pending) > 0; {
		re.got = nil
		next, err := h.Handle(context.Background(), analyticstest.Event(pending...))
		if err != nil {
			t.Fatal(err)
		}
		rows += allRows(t, next)
		pending = re.got
	}
	if rows != wantRows {
		t.Errorf("%d rows delivered in the end, want %d", rows, wantRows)
	}
}

// At every budget the response, as the runtime writes it, stays within it: the handler
// counts each answer's JSON, not only its rows.
func TestResponseNeverExceedsTheBudget(t *testing.T) {
	ev := analyticstest.Batch(60, 2, 5)
	_, answers := invoke(t, &Handler{Budget: 1, Log: quiet}, ev) // every record answered without rows
	for budget := answers; budget <= answers+48<<10; budget += 1 << 10 {
		h := &Handler{Reingest: &fakeReingest{refuse: -1}, Budget: budget, Log: quiet}
		if _, n := invoke(t, h, ev); n > budget {
			t.Fatalf("response is %d bytes, budget %d", n, budget)
		}
	}
}

func TestOverflowThatCannotBePutBackFails(t *testing.T) {
	ev := analyticstest.Batch(20, 50, 8)
	for _, tc := range []struct {
		name string
		re   Reingester
	}{
		{"no re-ingestion", nil},
		{"put fails", &fakeReingest{fail: errors.New("throttled")}},
		{"entry refused", &fakeReingest{refuse: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := (&Handler{Reingest: tc.re, Budget: 100 << 10, Log: quiet}).Handle(context.Background(), ev)
			var results []string
			for _, r := range resp.Records {
				results = append(results, r.Result)
			}
			if !slices.Contains(results, "ProcessingFailed") || !slices.Contains(results, "Ok") {
				t.Errorf("results %v: want Ok then ProcessingFailed for what did not fit", results)
			}
		})
	}
}

func TestRecordLargerThanBudgetFails(t *testing.T) {
	ev := analyticstest.Batch(2, 200, 9)
	re := &fakeReingest{refuse: -1}
	resp, _ := (&Handler{Reingest: re, Budget: 8 << 10, Log: quiet}).Handle(context.Background(), ev)
	for i, r := range resp.Records {
		if r.Result != "ProcessingFailed" {
			t.Errorf("record %d: %s, want ProcessingFailed (it can never fit)", i, r.Result)
		}
	}
	if len(re.got) != 0 {
		t.Errorf("put back %d records that can never fit: they would loop forever", len(re.got))
	}
}
