package transform

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"
)

// fakeFirehose records PutRecordBatch calls and refuses the records whose first byte is
// 'x' the first time it sees them.
type fakeFirehose struct {
	calls [][]string
	seen  map[string]bool
}

func (f *fakeFirehose) PutRecordBatch(_ context.Context, in *firehose.PutRecordBatchInput, _ ...func(*firehose.Options)) (*firehose.PutRecordBatchOutput, error) {
	var call []string
	out := &firehose.PutRecordBatchOutput{}
	for _, r := range in.Records {
		s := string(r.Data)
		call = append(call, s)
		e := types.PutRecordBatchResponseEntry{RecordId: aws.String("id")}
		if s[0] == 'x' && (!f.seen[s] || s[1] == 'x') {
			e = types.PutRecordBatchResponseEntry{ErrorCode: aws.String("ServiceUnavailableException")}
			out.FailedPutCount = aws.Int32(aws.ToInt32(out.FailedPutCount) + 1)
		}
		f.seen[s] = true
		out.RequestResponses = append(out.RequestResponses, e)
	}
	if aws.ToString(in.DeliveryStreamName) != "ccwb-analytics" {
		panic("wrong stream " + aws.ToString(in.DeliveryStreamName))
	}
	f.calls = append(f.calls, call)
	return out, nil
}

func TestFirehoseReingesterBatchesAndRetries(t *testing.T) {
	fh := &fakeFirehose{seen: map[string]bool{}}
	recs := make([][]byte, 0, 1003)
	for i := 0; i < 1000; i++ {
		recs = append(recs, []byte{'r', byte(i), byte(i >> 8)})
	}
	recs = append(recs, []byte("x-once"), []byte("xx-always"), make([]byte, batchBytes+1))
	failed, err := FirehoseReingester{Client: fh}.Reingest(context.Background(), "arn:aws:firehose:us-east-1:123456789012:deliverystream/ccwb-analytics", recs)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range failed {
		want := i >= 1001 // xx-always refused twice; the oversized record never fits a batch
		if f != want {
			t.Errorf("record %d failed=%v, want %v", i, f, want)
		}
	}
	for _, c := range fh.calls {
		if len(c) > batchRecords {
			t.Errorf("a call with %d records", len(c))
		}
	}
	if len(fh.calls) != 4 { // 500, 500, the two x records, then their retry
		t.Errorf("%d calls: %v", len(fh.calls), len(fh.calls))
	}
	if _, err := (FirehoseReingester{Client: fh}).Reingest(context.Background(), "not-an-arn", recs); err == nil {
		t.Error("accepted a stream ARN without a name")
	}
}
