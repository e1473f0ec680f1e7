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
// full invocation can produce more than a Lambda response may carry. The handler counts
// the response as encoding/json writes it: first the answer of every record without rows,
// then each record's rows, in base64, while they fit the budget. Records whose rows no
// longer fit are put back into the delivery stream untouched (the documented
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

	decoders sync.Pool // of *Decoder, each with its gzip reader
}

// recordOverhead is the most JSON a response record takes besides its ID and data: the
// longest result, and null data, which is longer than the quotes around base64 data.
var recordOverhead = func() int {
	b, _ := json.Marshal(events.KinesisFirehoseResponseRecord{Result: events.KinesisFirehoseTransformedStateProcessingFailed})
	return len(b) + 1 // and the comma between records
}()

// emptyResponse is the size of a response without records.
var emptyResponse = func() int {
	b, _ := json.Marshal(events.KinesisFirehoseResponse{Records: []events.KinesisFirehoseResponseRecord{}})
	return len(b)
}()

// Handle transforms one Firehose invocation. It is the function main hands the Lambda
// runtime, which decodes the request and encodes the response with encoding/json (record
// data in base64, by encoding/base64).
func (h *Handler) Handle(ctx context.Context, ev events.KinesisFirehoseEvent) (events.KinesisFirehoseResponse, error) {
	budget := h.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	log := h.Log
	if log == nil {
		log = slog.Default()
	}
	d, _ := h.decoders.Get().(*Decoder)
	if d == nil {
		d = new(Decoder)
	}
	defer h.decoders.Put(d)

	resp := events.KinesisFirehoseResponse{Records: make([]events.KinesisFirehoseResponseRecord, len(ev.Records))}
	// Rows of all records go into one buffer, each record's Data a slice of it: later
	// records only append past it (a copy, if the buffer grows, leaves it as it is).
	rows := make([]byte, 0, min(12*totalData(ev.Records), budget))
	// Every record is answered: room for each answer without rows is taken first.
	size := emptyResponse
	for _, rec := range ev.Records {
		size += recordOverhead + len(rec.RecordID)
	}
	var overflow []int
	for i, rec := range ev.Records {
		out := &resp.Records[i]
		out.RecordID = rec.RecordID
		start := len(rows)
		rows, out.Result = d.answer(rows, rec, log)
		data := base64.StdEncoding.EncodedLen(len(rows) - start)
		switch {
		case size+data <= budget:
			size += data
			if out.Result == events.KinesisFirehoseTransformedStateOk {
				out.Data = rows[start:len(rows):len(rows)]
			}
		case emptyResponse+recordOverhead+len(rec.RecordID)+data > budget: // can never fit
			rows = rows[:start]
			out.Result = events.KinesisFirehoseTransformedStateProcessingFailed
			log.Error("record's rows exceed the response budget on their own", "recordId", rec.RecordID, "bytes", data, "budget", budget)
		default: // the rows do not fit: forget them and put the record back
			rows = rows[:start]
			overflow = append(overflow, i)
		}
	}
	h.reingest(ctx, log, ev, overflow, resp.Records)
	return resp, nil
}

// answer decodes one record, appending its rows to dst, and returns the record's result:
// Ok with rows, Dropped for a control message or a record without Claude Code metrics,
// ProcessingFailed (logged) for a malformed one.
func (d *Decoder) answer(dst []byte, rec events.KinesisFirehoseEventRecord, log *slog.Logger) ([]byte, string) {
	out, rows, kind, err := d.Decode(dst, rec.Data)
	switch {
	case err != nil:
		log.Error("malformed record", "recordId", rec.RecordID, "error", err)
		return out, events.KinesisFirehoseTransformedStateProcessingFailed
	case kind == Control || rows == 0:
		return out, events.KinesisFirehoseTransformedStateDropped
	}
	return out, events.KinesisFirehoseTransformedStateOk
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
