package transform

import (
	"bytes"
	"strings"
	"testing"

	"ccwb.dev/lambda/analyticstest"
)

// A record is read whole or not at all: gzip that is corrupt, cut short, followed by
// garbage, or that inflates past MaxDecompressed fails with an error saying so, and a
// stream of several gzip members reads as their concatenation.
func TestDecodeGunzipsWholeRecordsOnly(t *testing.T) {
	p := analyticstest.Point{Time: t0, Metric: "claude_code.commit.count", Value: 1, Attrs: identity("a@b.c")}
	rec := analyticstest.DataRecord(analyticstest.EMF(p))
	plain := ungzip(rec)
	half := len(plain) / 2
	badCRC := bytes.Clone(rec)
	badCRC[len(badCRC)-8] ^= 1 // the trailer's CRC-32
	// Valid JSON (a control message and white space) that inflates past the limit.
	bomb := analyticstest.Gzip(append([]byte(`{"messageType":"CONTROL_MESSAGE"}`), bytes.Repeat([]byte(" "), MaxDecompressed)...))
	for _, tc := range []struct {
		name, data string
		rows       int
		err        string // "" when it decodes
	}{
		{"one member", string(rec), 1, ""},
		{"two members", string(analyticstest.Gzip(plain[:half])) + string(analyticstest.Gzip(plain[half:])), 1, ""},
		{"not gzip", string(plain), 0, "gunzip record"},
		{"cut short", string(rec[:len(rec)-5]), 0, "gunzip record"},
		{"bad checksum", string(badCRC), 0, "gunzip record"},
		{"trailing garbage", string(rec) + "garbage", 0, "gunzip record"},
		{"over the limit", string(bomb), 0, "decompresses to more than"},
	} {
		var d Decoder
		out, rows, _, err := d.Decode([]byte("dst"), []byte(tc.data))
		switch {
		case tc.err == "" && (err != nil || rows != tc.rows):
			t.Errorf("%s: %d rows, %v; want %d rows", tc.name, rows, err, tc.rows)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.err)
		case tc.err != "" && string(out) != "dst":
			t.Errorf("%s: failed but wrote %q", tc.name, out)
		}
	}
}

// One Decoder reads record after record, its gzip reader reset for each: a failed record
// leaves nothing behind that changes the next one's rows.
func TestDecoderIsReusedAcrossRecords(t *testing.T) {
	batch := analyticstest.Batch(6, 20, 3)
	var reused Decoder
	for i, r := range batch.Records {
		if i%2 == 1 {
			reused.Decode(nil, r.Data[:len(r.Data)/2]) // a broken record in between
		}
		got, gotRows, _, err := reused.Decode(nil, r.Data)
		want, wantRows, _, _ := new(Decoder).Decode(nil, r.Data)
		if err != nil || gotRows != wantRows || !bytes.Equal(got, want) {
			t.Fatalf("record %d: reused decoder gave %d rows (%v), a new one %d", i, gotRows, err, wantRows)
		}
	}
}
