package analyticstest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/parquet-go/parquet-go"

	"ccwb.dev/contract/schema"
	"ccwb.dev/lambda/transform"
)

// ndjson runs a realistic batch through the transform and returns its rows.
func ndjson(tb testing.TB, records, perRecord int) []byte {
	resp, err := (&transform.Handler{Budget: 1 << 30}).Handle(context.Background(), Batch(records, perRecord, 3))
	if err != nil {
		tb.Fatal(err)
	}
	var out []byte
	for _, r := range resp.Records {
		if r.Result != "Ok" {
			tb.Fatalf("record %s: %s", r.RecordID, r.Result)
		}
		out = append(out, r.Data...)
	}
	return out
}

func TestWriteParquetRoundTrip(t *testing.T) {
	rows := ndjson(t, 2, 20)
	var buf bytes.Buffer
	n, err := WriteParquet(&buf, rows)
	if err != nil || n != bytes.Count(rows, []byte("\n")) {
		t.Fatalf("wrote %d rows: %v", n, err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRows() != int64(n) {
		t.Errorf("file holds %d rows, want %d", f.NumRows(), n)
	}
	for _, c := range schema.Columns() {
		if _, ok := f.Schema().Lookup(c.Name); !ok {
			t.Errorf("column %s missing from the Parquet schema", c.Name)
		}
	}
	for _, bad := range []string{`{"no_such_column":"x"}`, `{"value":"not a number"}`, `{"event_time":"2026-01-01"}`, `{"user_email":3}`} {
		if _, err := WriteParquet(io.Discard, []byte(bad+"\n")); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

// BenchmarkParquetSize reports the Parquet bytes per row of a realistic batch against the
// same rows as newline-delimited JSON (the transform's output, Firehose's input).
func BenchmarkParquetSize(b *testing.B) {
	rows := ndjson(b, 500, 100)
	n := bytes.Count(rows, []byte("\n"))
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if _, err := WriteParquet(&buf, rows); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/float64(n), "parquet-B/row")
	b.ReportMetric(float64(len(rows))/float64(n), "ndjson-B/row")
	b.ReportMetric(float64(size)/float64(len(rows)), "parquet/ndjson")
}
