package transform

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/aws/aws-lambda-go/events"
)

// ResponseLimit is the most bytes a synchronous Lambda response may hold (6 MB).
const ResponseLimit = 6 << 20

// DefaultBudget is the response size the handler keeps under: the limit less headroom
// for the runtime's framing.
const DefaultBudget = ResponseLimit - 64<<10

// Reingester puts records back into the delivery stream they came from (Firehose
// PutRecordBatch). Firehose delivers them again in a later invocation.
type Reingester interface {
	// Reingest puts every record back and reports, per record, whether it was refused.
	Reingest(ctx context.Context, deliveryStreamARN string, records [][]byte) (failed []bool, err error)
}

// Handler is the Firehose transformation handler. Every input record is answered exactly
// once: Ok with its rows, Dropped (a control message, no Claude Code metrics, or put back
// into the stream because the response was full), or ProcessingFailed (malformed; Firehose
// writes the original record under the error prefix).
//
// The response limit: rows are about ten times the size of the compressed records, so a
// full invocation can produce more than a Lambda response may carry. Records whose rows
// no longer fit are put back into the delivery stream untouched (the documented
// re-ingestion pattern of the CloudWatch Logs processor blueprint) and answered Dropped;
// if putting them back fails they are answered ProcessingFailed, so nothing is lost. A
// record whose rows alone exceed the budget can never fit and is ProcessingFailed.
type Handler struct {
	// Reingest puts overflow records back; nil answers them ProcessingFailed.
	Reingest Reingester
	// Budget is the response size to keep under (default DefaultBudget).
	Budget int
	// Log receives one line per failed record (default slog.Default()).
	Log *slog.Logger
	// ReuseResponse lets Invoke write each response into the buffer of the one before,
	// instead of allocating megabytes per invocation. Set it only when each response has
	// been sent before the next Invoke starts: the Lambda runtime with one invocation at
	// a time per execution environment (lambdacontext.MaxConcurrency() == 1).
	ReuseResponse bool

	decoders    sync.Pool
	invocations sync.Pool
	spare       spareBuffer // the last response, with ReuseResponse
}

// recordOverhead is the JSON size of a response record without its ID and data.
var recordOverhead = func() int {
	b, _ := json.Marshal(events.KinesisFirehoseResponseRecord{Result: events.KinesisFirehoseTransformedStateProcessingFailed})
	return len(b) + 1 // and the comma between records
}()

// Handle transforms one Firehose invocation.
func (h *Handler) Handle(ctx context.Context, ev events.KinesisFirehoseEvent) (events.KinesisFirehoseResponse, error) {
	buf := make([]byte, 0, min(12*totalData(ev.Records), h.budget()))
	resp, _, _ := h.handle(ctx, ev, buf, nil)
	return resp, nil
}

func (h *Handler) budget() int {
	if h.Budget <= 0 {
		return DefaultBudget
	}
	return h.Budget
}

// handle is Handle writing the rows into buf and the response records into out, both
// reused when large enough; it returns them for reuse.
func (h *Handler) handle(ctx context.Context, ev events.KinesisFirehoseEvent, buf []byte, out []events.KinesisFirehoseResponseRecord) (events.KinesisFirehoseResponse, []byte, []events.KinesisFirehoseResponseRecord) {
	budget := h.budget()
	log := h.Log
	if log == nil {
		log = slog.Default()
	}
	d, _ := h.decoders.Get().(*Decoder)
	if d == nil {
		d = new(Decoder)
	}
	defer h.decoders.Put(d)

	if out == nil || cap(out) < len(ev.Records) {
		out = make([]events.KinesisFirehoseResponseRecord, len(ev.Records))
	}
	out = out[:len(ev.Records)]
	clear(out)
	resp := events.KinesisFirehoseResponse{Records: out}
	size := len(`{"records":[]}`)
	// Rows of all records go into one buffer, sliced per record at the end.
	ends := make([]int, len(ev.Records))
	var overflow []int
	for i, rec := range ev.Records {
		out := &resp.Records[i]
		out.RecordID = rec.RecordID
		start := len(buf)
		var rows int
		var kind Kind
		var err error
		buf, rows, kind, err = d.Decode(buf, rec.Data)
		ends[i] = len(buf)
		recSize := recordOverhead + len(rec.RecordID)
		switch {
		case err != nil:
			out.Result = events.KinesisFirehoseTransformedStateProcessingFailed
			log.Error("malformed record", "recordId", rec.RecordID, "error", err)
		case kind == Control || rows == 0:
			out.Result = events.KinesisFirehoseTransformedStateDropped
		default:
			out.Result = events.KinesisFirehoseTransformedStateOk
			recSize += base64.StdEncoding.EncodedLen(len(buf) - start)
		}
		if size+recSize <= budget {
			size += recSize
			continue
		}
		// The rows do not fit: forget them and put the record back, if it can ever fit.
		buf = buf[:start]
		ends[i] = start
		size += recordOverhead + len(rec.RecordID)
		if len(`{"records":[]}`)+recSize > budget {
			out.Result = events.KinesisFirehoseTransformedStateProcessingFailed
			log.Error("record's rows exceed the response budget on their own", "recordId", rec.RecordID, "bytes", recSize, "budget", budget)
			continue
		}
		overflow = append(overflow, i)
	}
	start := 0
	for i := range resp.Records {
		if resp.Records[i].Result == events.KinesisFirehoseTransformedStateOk {
			resp.Records[i].Data = buf[start:ends[i]:ends[i]]
		}
		start = ends[i]
	}
	h.reingest(ctx, log, ev, overflow, resp.Records)
	return resp, buf, out
}

// reingest puts the overflow records back into the stream: Dropped when accepted,
// ProcessingFailed when not.
func (h *Handler) reingest(ctx context.Context, log *slog.Logger, ev events.KinesisFirehoseEvent, overflow []int, out []events.KinesisFirehoseResponseRecord) {
	if len(overflow) == 0 {
		return
	}
	fail := func(i int, err error) {
		out[i].Result = events.KinesisFirehoseTransformedStateProcessingFailed
		out[i].Data = nil
		log.Error("record could not be put back into the delivery stream", "recordId", out[i].RecordID, "error", err)
	}
	if h.Reingest == nil {
		for _, i := range overflow {
			fail(i, fmt.Errorf("response full and no re-ingestion configured"))
		}
		return
	}
	data := make([][]byte, len(overflow))
	for k, i := range overflow {
		data[k] = ev.Records[i].Data
	}
	failed, err := h.Reingest.Reingest(ctx, ev.DeliveryStreamArn, data)
	for k, i := range overflow {
		switch {
		case err != nil:
			fail(i, err)
		case k < len(failed) && failed[k]:
			fail(i, fmt.Errorf("refused by %s", ev.DeliveryStreamArn))
		default:
			out[i].Result = events.KinesisFirehoseTransformedStateDropped
			out[i].Data = nil
		}
	}
	log.Info("response full: records put back into the delivery stream", "records", len(overflow))
}

func totalData(recs []events.KinesisFirehoseEventRecord) int {
	n := 0
	for _, r := range recs {
		n += len(r.Data)
	}
	return n
}
