package transform

import (
	"bytes"
	"testing"

	"ccwb.dev/lambda/analyticstest"
)

// setRaw puts a decompressed record into d, as gunzip does.
func (d *Decoder) setRaw(payload []byte) {
	d.raw = append(d.raw[:0], payload...)
}

// The realistic batch must take the one-pass path all the way: falling back is correct
// but slow, and would go unnoticed otherwise.
func TestRealisticBatchIsDecodedInOnePass(t *testing.T) {
	var d Decoder
	for i, rec := range analyticstest.Batch(20, 100, 7).Records {
		if err := d.inflate(rec.Data); err != nil {
			t.Fatal(err)
		}
		out, rows, ok := d.decodeQuoted(nil)
		if !ok {
			t.Fatalf("record %d fell back to the two-pass decoder", i)
		}
		want, wantRows, _, err := d.decodeUnescaped(nil)
		if err != nil || rows != wantRows || !bytes.Equal(out, want) {
			t.Fatalf("record %d: one pass gave %d rows, two passes %d (%v)", i, rows, wantRows, err)
		}
	}
}

// FuzzOnePassAgreesWithTwoPass checks the one-pass decoder against the two-pass one
// (unescape each message, then parse it): whenever the one-pass decoder accepts a record
// it must produce exactly the rows the two-pass decoder does.
func FuzzOnePassAgreesWithTwoPass(f *testing.F) {
	f.Add(ungzip(analyticstest.Batch(1, 3, 1).Records[0].Data))
	f.Add(ungzip(analyticstest.ControlRecord()))
	for _, msg := range []string{
		`{\"claude_code.commit.count\":[1,2],\"_aws\":{\"Timestamp\":3}}`,
		`{\"claude_code.cost.usage\":{\"Sum\":2.5,\"Count\":1},\"model\":\"m\",\"user.email\":\"a\\\"b@c\"}`,
		`{ \"claude_code.session.count\" : 1 , \"terminal.type\" : true , \"model\" : null }`,
		`{\"claude_code.session.count\":1,\"model\":\"\u00e9\",\"_aws\":{\"CloudWatchMetrics\":[{\"Dimensions\":[[\"model\"]]}],\"Timestamp\":1.5e3}}`,
		`{\"claude_code.active_time.total\":-0.5,\"user.id\":12,\"team.id\":{\"x\":[]},\"session.id\":false}`,
		`{\"claude_code.lines_of_code.count\":1}\n`,
		`{\"claude_code.lines_of_code.count\":01}`,
		`{\"claude_code.cost.usage\":{\"Count\":1}}`,
		`{\u0022claude_code.commit.count\":1}`,
		// Skipped keys whose values change from the last event's (remembered) ones.
		`{\"OTelLib\":\"a\",\"Version\":1,\"claude_code.commit.count\":1}`,
		`{\"OTelLib\":\"ab\",\"Version\":12,\"claude_code.commit.count\":1}`,
		`{\"OTelLib\":\"a\\\"\",\"Version\":[1],\"claude_code.commit.count\":1}`,
	} {
		f.Add([]byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1700000000000,"message":"` + msg + `"}]}`))
		f.Add([]byte(`{"logEvents":[{"message":"` + msg + `","timestamp":1}],"messageType":"DATA_MESSAGE"}`))
	}
	var one, two Decoder
	f.Fuzz(func(t *testing.T, payload []byte) {
		one.setRaw(payload)
		two.setRaw(payload)
		out, rows, ok := one.decodeQuoted([]byte("prefix"))
		if !ok {
			if string(out) != "prefix" || rows != 0 {
				t.Fatalf("one-pass decoder gave up but returned %d rows: %q", rows, out)
			}
			return
		}
		want, wantRows, kind, err := two.decodeUnescaped([]byte("prefix"))
		if err != nil {
			t.Fatalf("one-pass decoder accepted what the two-pass decoder rejects (%v): %q", err, payload)
		}
		if kind != Data || rows != wantRows || !bytes.Equal(out, want) {
			t.Fatalf("decoders disagree on %q:\none pass (%d rows): %s\ntwo passes (%d rows, kind %d): %s", payload, rows, out, wantRows, kind, want)
		}
	})
}
