package transform

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"
)

// PutRecordBatch limits.
const (
	batchRecords = 500
	batchBytes   = 4 << 20
)

// PutRecordBatchAPI is the part of the Firehose client FirehoseReingester uses.
type PutRecordBatchAPI interface {
	PutRecordBatch(ctx context.Context, in *firehose.PutRecordBatchInput, opts ...func(*firehose.Options)) (*firehose.PutRecordBatchOutput, error)
}

// FirehoseReingester puts records back with PutRecordBatch, in batches within its limits,
// retrying refused entries once.
type FirehoseReingester struct {
	Client PutRecordBatchAPI
}

// Reingest implements Reingester.
func (f FirehoseReingester) Reingest(ctx context.Context, streamARN string, records [][]byte) ([]bool, error) {
	name, err := streamName(streamARN)
	if err != nil {
		return nil, err
	}
	failed := make([]bool, len(records))
	for start := 0; start < len(records); {
		end, size := start, 0
		for end < len(records) && end-start < batchRecords && size+len(records[end]) <= batchBytes {
			size += len(records[end])
			end++
		}
		if end == start { // one record above the batch limit: Firehose refuses it anyway
			failed[start] = true
			start++
			continue
		}
		idx := make([]int, 0, end-start)
		for i := start; i < end; i++ {
			idx = append(idx, i)
		}
		for attempt := 0; attempt < 2 && len(idx) > 0; attempt++ {
			in := &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String(name)}
			for _, i := range idx {
				in.Records = append(in.Records, types.Record{Data: records[i]})
			}
			out, err := f.Client.PutRecordBatch(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("put %d records back into %s: %w", len(idx), name, err)
			}
			var again []int
			for k, r := range out.RequestResponses {
				if r.ErrorCode != nil && k < len(idx) {
					again = append(again, idx[k])
				}
			}
			idx = again
		}
		for _, i := range idx {
			failed[i] = true
		}
		start = end
	}
	return failed, nil
}

// streamName takes the delivery stream name from its ARN
// (arn:aws:firehose:region:account:deliverystream/name).
func streamName(arn string) (string, error) {
	_, name, ok := strings.Cut(arn, ":deliverystream/")
	if !ok || name == "" {
		return "", fmt.Errorf("delivery stream ARN %q has no deliverystream/<name>", arn)
	}
	return name, nil
}
