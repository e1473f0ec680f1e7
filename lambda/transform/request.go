package transform

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/lambda/jsonscan"
)

// invocation holds what one Invoke needs, pooled across invocations: the decoded
// request, the record data it points into, the rows and the response records.
type invocation struct {
	s     jsonscan.Scanner
	ev    events.KinesisFirehoseEvent
	recs  []events.KinesisFirehoseEventRecord // ev.Records, kept for reuse
	data  []byte                              // every record's data, decoded from base64
	spans []int                               // per record, where its data ends in data (-1: no data)
	rows  []byte
	out   []events.KinesisFirehoseResponseRecord
}

// Invoke is the handler the Lambda runtime calls with the raw request (main passes the
// Handler to lambda.Start, which calls Invoke when a handler has it): it reads the
// Firehose request in place, each record's base64 data decoded straight from the request
// bytes, transforms it as Handle does, and returns the response JSON as HandleRaw writes
// it. A request outside the plain form decodeRequest reads is decoded by encoding/json, as
// the runtime would, so the result and the errors are the same.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	inv, _ := h.invocations.Get().(*invocation)
	if inv == nil {
		inv = new(invocation)
	}
	defer h.invocations.Put(inv)
	ev := &inv.ev
	if err := inv.decodeRequest(payload); err != nil {
		*ev = events.KinesisFirehoseEvent{}
		if err := json.Unmarshal(payload, ev); err != nil {
			return nil, fmt.Errorf("decode the Firehose request: %w", err)
		}
	}
	if inv.rows == nil {
		inv.rows = make([]byte, 0, min(12*totalData(ev.Records), h.budget()))
	}
	var resp events.KinesisFirehoseResponse
	resp, inv.rows, inv.out = h.handle(ctx, *ev, inv.rows[:0], inv.out)
	var out []byte
	if h.ReuseResponse {
		out = h.spare.take()
	}
	out = AppendResponse(out, resp)
	clear(inv.out) // no record data kept alive through the pool
	if h.ReuseResponse {
		h.spare.keep(out)
	}
	return out, nil
}

// spareBuffer holds one buffer between invocations. Invocations that overlap (against
// the ReuseResponse contract) never share it: one takes it, the others allocate.
type spareBuffer struct {
	mu  sync.Mutex
	buf []byte
}

// take returns the buffer emptied, or nil, leaving none behind.
func (s *spareBuffer) take() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buf
	s.buf = nil
	return b[:0]
}

// keep stores b for the next take.
func (s *spareBuffer) keep(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = b
}

// errNotPlainRequest stops decodeRequest; encoding/json then reads the request.
var errNotPlainRequest = errors.New("request not in the plain form decodeRequest reads")

// decodeRequest reads a Firehose transformation request into inv.ev, reusing inv's
// buffers. It reads what Firehose sends: the event's keys spelt as its JSON tags, strings
// without escapes, valid UTF-8 and base64. On anything else, valid or not, it fails and
// the caller decodes the request with encoding/json, which matches keys without regard
// to case and names the error of an invalid request.
func (inv *invocation) decodeRequest(payload []byte) error {
	s := &inv.s
	s.Reset(payload)
	ev := &inv.ev
	*ev = events.KinesisFirehoseEvent{}
	inv.recs = inv.recs[:0]
	inv.data, inv.spans = inv.data[:0], inv.spans[:0]
	records := false
	err := s.Object(func(key []byte, escaped bool) error {
		if escaped {
			return errNotPlainRequest
		}
		var err error
		switch string(key) {
		case "invocationId":
			ev.InvocationID, err = plainString(s)
		case "deliveryStreamArn":
			ev.DeliveryStreamArn, err = plainString(s)
		case "sourceKinesisStreamArn":
			ev.SourceKinesisStreamArn, err = plainString(s)
		case "region":
			ev.Region, err = plainString(s)
		case "records":
			if records || s.Peek() != '[' {
				return errNotPlainRequest
			}
			records = true
			err = s.Array(inv.record)
		default:
			return errNotPlainRequest
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := s.End(); err != nil {
		return err
	}
	if records { // absent, encoding/json leaves Records nil
		if inv.recs == nil {
			inv.recs = []events.KinesisFirehoseEventRecord{}
		}
		ev.Records = inv.recs
	}
	start := 0
	for i, end := range inv.spans {
		if end >= 0 {
			inv.recs[i].Data = inv.data[start:end:end]
			start = end
		}
	}
	return nil
}

// record reads one record of the request, its data appended to inv.data.
func (inv *invocation) record() error {
	s := &inv.s
	if s.Peek() != '{' {
		return errNotPlainRequest
	}
	inv.recs = append(inv.recs, events.KinesisFirehoseEventRecord{})
	r := &inv.recs[len(inv.recs)-1]
	start, data := len(inv.data), false
	err := s.Object(func(key []byte, escaped bool) error {
		if escaped {
			return errNotPlainRequest
		}
		var err error
		switch string(key) {
		case "recordId":
			r.RecordID, err = plainString(s)
		case "data":
			if s.Peek() != '"' {
				return errNotPlainRequest
			}
			raw, esc, err := s.Str()
			if err != nil || esc {
				return errNotPlainRequest
			}
			data = true
			inv.data, err = base64.StdEncoding.AppendDecode(inv.data[:start], raw)
			return err
		case "approximateArrivalTimestamp":
			if c := s.Peek(); c != '-' && (c < '0' || c > '9') {
				return errNotPlainRequest
			}
			raw, err := s.Number()
			if err != nil {
				return err
			}
			ms, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				return errNotPlainRequest
			}
			// As MilliSecondsEpochTime.UnmarshalJSON reads it.
			r.ApproximateArrivalTimestamp = events.MilliSecondsEpochTime{Time: time.Unix(ms/1000, (ms%1000)*1e6)}
			return nil
		case "kinesisRecordMetadata":
			// Not in the requests of a direct-put stream: read the way the runtime would.
			s.Peek()
			rest := s.Rest()
			if err := s.Skip(); err != nil {
				return err
			}
			return json.Unmarshal(rest[:len(rest)-len(s.Rest())], &r.KinesisFirehoseRecordMetadata)
		default:
			return errNotPlainRequest
		}
		return err
	})
	if !data {
		inv.spans = append(inv.spans, -1) // no data: nil, as encoding/json leaves it
		return err
	}
	inv.spans = append(inv.spans, len(inv.data))
	return err
}

// plainString reads a string without escapes in valid UTF-8, as encoding/json would decode it.
func plainString(s *jsonscan.Scanner) (string, error) {
	if s.Peek() != '"' {
		return "", errNotPlainRequest
	}
	raw, esc, err := s.Str()
	if err != nil || esc || !utf8.Valid(raw) {
		return "", errNotPlainRequest
	}
	return string(raw), nil
}
