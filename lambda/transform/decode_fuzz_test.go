package transform

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"ccwb.dev/contract/schema"
	"ccwb.dev/lambda/analyticstest"
)

// FuzzDecode feeds arbitrary subscription JSON (gzip-compressed as CloudWatch Logs does)
// to the decoder: it must never panic, and whatever it accepts must come out as rows of
// valid JSON whose keys are columns.
func FuzzDecode(f *testing.F) {
	p := analyticstest.Point{Time: time.UnixMilli(1794146706789), Metric: "claude_code.token.usage", Value: 7,
		Attrs: map[string]string{"user.email": "a\"b@c.d", "model": "m", "type": "input"}}
	f.Add(ungzip(analyticstest.DataRecord(analyticstest.EMF(p))))
	f.Add(ungzip(analyticstest.ControlRecord()))
	f.Add([]byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"timestamp":1,"message":"{\"claude_code.commit.count\":[1,2],\"_aws\":{\"Timestamp\":3}}"}]}`))
	cols := map[string]bool{}
	for _, c := range schema.Columns() {
		cols[c.Name] = true
	}
	var d Decoder
	f.Fuzz(func(t *testing.T, payload []byte) {
		out, rows, _, err := d.Decode([]byte("prefix"), analyticstest.Gzip(payload))
		if !bytes.HasPrefix(out, []byte("prefix")) {
			t.Fatal("Decode did not append to dst")
		}
		out = out[len("prefix"):]
		if err != nil {
			if len(out) != 0 {
				t.Fatal("Decode failed but wrote rows")
			}
			return
		}
		if n := bytes.Count(out, []byte("\n")); n != rows {
			t.Fatalf("%d rows reported, %d written", rows, n)
		}
		for _, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatalf("row is not JSON: %v: %s", err, line)
			}
			for k := range m {
				if !cols[k] {
					t.Fatalf("key %q is not a column", k)
				}
			}
		}
	})
}

func ungzip(b []byte) []byte {
	var d Decoder
	if err := d.gunzip(b); err != nil {
		panic(err)
	}
	return bytes.Clone(d.raw.Bytes())
}
