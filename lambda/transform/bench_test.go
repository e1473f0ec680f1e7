package transform

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/klauspost/compress/gzip"

	"ccwb.dev/lambda/analyticstest"
	"ccwb.dev/lambda/internal/cputime"
)

// The realistic batch of the issue: 500 records of 100 EMF events, about 4 MB of base64.
// Built on first use, so tests and fuzzing do not pay for it.
var benchEvent = sync.OnceValue(func() []byte {
	b, err := json.Marshal(analyticstest.Batch(500, 100, 1))
	if err != nil {
		panic(err)
	}
	return b
})

// base64Records is the batch as the runtime receives it: each record's data in base64.
func base64Records(b *testing.B) ([]string, int) {
	var raw struct {
		Records []struct{ Data string } `json:"records"`
	}
	if err := json.Unmarshal(benchEvent(), &raw); err != nil {
		b.Fatal(err)
	}
	out, n := make([]string, len(raw.Records)), 0
	for i, r := range raw.Records {
		out[i], n = r.Data, n+len(r.Data)
	}
	return out, n
}

// BenchmarkTransform measures the transform against its floor, base64 decode + gunzip of
// the same records, in MB of base64 input per second of wall time and per CPU second (the
// figure to trust on a busy machine), single-threaded:
//   - baseline: base64 + gunzip only, with the transform's gunzip (github.com/klauspost/
//     compress's gzip reader, reset per record);
//   - baseline-stdlib: the same with the standard library's compress/gzip;
//   - transform: base64 + the handler (gunzip, parse, rows);
//   - invoke: what the Lambda runs, the runtime's handler around Handle: the request JSON
//     in, the response JSON out (encoding/json, record data by encoding/base64).
func BenchmarkTransform(b *testing.B) {
	recs, size := base64Records(b)
	// gunzipper is what the baselines need of a gzip reader.
	type gunzipper interface {
		io.Reader
		Reset(io.Reader) error
	}
	baseline := func(newReader func(io.Reader) (gunzipper, error)) func(*testing.B) {
		return func(b *testing.B) {
			b.SetBytes(int64(size))
			var zr gunzipper
			var buf []byte
			var br bytes.Reader
			start := cputime.Used()
			for b.Loop() {
				for _, r := range recs {
					buf = buf[:0]
					buf, _ = base64.StdEncoding.AppendDecode(buf, []byte(r))
					br.Reset(buf)
					if zr == nil {
						zr, _ = newReader(&br)
					} else {
						zr.Reset(&br)
					}
					io.Copy(io.Discard, zr)
				}
			}
			cputime.Report(b, start, size)
		}
	}
	b.Run("baseline", baseline(func(r io.Reader) (gunzipper, error) { return gzip.NewReader(r) }))
	b.Run("baseline-stdlib", baseline(func(r io.Reader) (gunzipper, error) { return stdgzip.NewReader(r) }))
	b.Run("transform", func(b *testing.B) {
		b.SetBytes(int64(size))
		h := &Handler{Log: quiet, Budget: 1 << 30} // the throughput, not the response limit
		ev := events.KinesisFirehoseEvent{Records: make([]events.KinesisFirehoseEventRecord, len(recs))}
		rows := 0
		start := cputime.Used()
		for b.Loop() {
			for i, r := range recs {
				ev.Records[i].Data, _ = base64.StdEncoding.AppendDecode(ev.Records[i].Data[:0], []byte(r))
			}
			resp, _ := h.Handle(context.Background(), ev)
			rows = 0
			for _, r := range resp.Records {
				rows += bytes.Count(r.Data, []byte{'\n'})
			}
		}
		cputime.Report(b, start, size)
		b.ReportMetric(float64(rows)*float64(b.N)/(cputime.Used()-start).Seconds(), "rows/cpu-s")
	})
	b.Run("invoke", func(b *testing.B) {
		b.SetBytes(int64(size))
		// What main runs: the Lambda runtime's handler around Handle, the request JSON in
		// and the response JSON out through encoding/json.
		invoke := lambda.NewHandler((&Handler{Log: quiet, Budget: 1 << 30}).Handle)
		start := cputime.Used()
		for b.Loop() {
			if _, err := invoke.Invoke(context.Background(), benchEvent()); err != nil {
				b.Fatal(err)
			}
		}
		cputime.Report(b, start, size)
	})
}
