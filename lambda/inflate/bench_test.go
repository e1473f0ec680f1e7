package inflate

import (
	"bytes"
	stdgzip "compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"

	"ccwb.dev/lambda/analyticstest"
	"ccwb.dev/lambda/internal/cputime"
)

// batchRecords is the realistic batch of the transform's benchmark: 500 CloudWatch Logs
// records of 100 EMF events, each a gzip member of about 10 KB, taken as the Lambda
// runtime receives them (the event JSON, each record's data in base64) and decoded once.
var batchRecords = sync.OnceValues(func() ([][]byte, error) {
	event, err := json.Marshal(analyticstest.Batch(500, 100, 1))
	if err != nil {
		return nil, err
	}
	var raw struct {
		Records []struct{ Data string } `json:"records"`
	}
	if err := json.Unmarshal(event, &raw); err != nil {
		return nil, err
	}
	recs := make([][]byte, len(raw.Records))
	for i, r := range raw.Records {
		if recs[i], err = base64.StdEncoding.DecodeString(r.Data); err != nil {
			return nil, err
		}
	}
	return recs, nil
})

// BenchmarkGunzip gunzips the realistic batch, single-threaded, in MB of compressed input
// per second (and per CPU second, the figure to trust on a busy machine):
//   - klauspost: github.com/klauspost/compress/gzip as the transform used it, a reused
//     Reader reset onto a bytes.Reader and read into a reused bytes.Buffer;
//   - stdlib: compress/gzip the same way;
//   - inflate: this package, appending into a reused slice.
func BenchmarkGunzip(b *testing.B) {
	recs, err := batchRecords()
	if err != nil {
		b.Fatal(err)
	}
	in, out := 0, 0
	for _, r := range recs {
		in += len(r)
		o, err := AppendGunzip(nil, r, 0)
		if err != nil {
			b.Fatal(err)
		}
		out += len(o)
	}
	type resetReader interface {
		io.Reader
		Reset(io.Reader) error
	}
	reader := func(newReader func(io.Reader) (resetReader, error)) func(*testing.B) {
		return func(b *testing.B) {
			var zr resetReader
			var br bytes.Reader
			var buf bytes.Buffer
			run(b, in, out, func() {
				for _, r := range recs {
					br.Reset(r)
					if zr == nil {
						z, err := newReader(&br)
						if err != nil {
							b.Fatal(err)
						}
						zr = z
					} else if err := zr.Reset(&br); err != nil {
						b.Fatal(err)
					}
					buf.Reset()
					if _, err := buf.ReadFrom(zr); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("klauspost", reader(func(r io.Reader) (resetReader, error) { return gzip.NewReader(r) }))
	b.Run("stdlib", reader(func(r io.Reader) (resetReader, error) { return stdgzip.NewReader(r) }))
	b.Run("inflate", func(b *testing.B) {
		var d Decoder
		var dst []byte
		run(b, in, out, func() {
			for _, r := range recs {
				var err error
				if dst, err = d.AppendGunzip(dst[:0], r, 16<<20); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// run times batch, which decodes in compressed bytes to out decompressed ones.
func run(b *testing.B, in, out int, batch func()) {
	b.SetBytes(int64(in))
	b.ReportAllocs()
	start := cputime.Used()
	for b.Loop() {
		batch()
	}
	b.ReportMetric(float64(out)*float64(b.N)/1e6/b.Elapsed().Seconds(), "out-MB/s")
	cputime.Report(b, start, in)
}
