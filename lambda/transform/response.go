package transform

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"

	"github.com/aws/aws-lambda-go/events"
)

// HandleRaw is Handle with the response already encoded as JSON. The Lambda runtime
// passes an io.Reader through as it is, so the rows are base64-encoded once, straight into
// the response, instead of through encoding/json's reflection and its validation pass.
func (h *Handler) HandleRaw(ctx context.Context, ev events.KinesisFirehoseEvent) (io.Reader, error) {
	resp, err := h.Handle(ctx, ev)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(AppendResponse(nil, resp)), nil
}

// AppendResponse appends the JSON of resp as Firehose reads it: per record its recordId,
// result and (for Ok) base64 data. It decodes to the same KinesisFirehoseResponse as
// encoding/json's output.
func AppendResponse(dst []byte, resp events.KinesisFirehoseResponse) []byte {
	size := 16
	for _, r := range resp.Records {
		size += recordOverhead + len(r.RecordID) + base64.StdEncoding.EncodedLen(len(r.Data))
	}
	if cap(dst)-len(dst) < size {
		dst = append(make([]byte, 0, len(dst)+size), dst...)
	}
	dst = append(dst, `{"records":[`...)
	for i, r := range resp.Records {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"recordId":`...)
		dst = appendString(dst, r.RecordID)
		dst = append(dst, `,"result":`...)
		dst = appendString(dst, r.Result)
		if len(r.Data) > 0 {
			dst = append(dst, `,"data":"`...)
			dst = appendBase64(dst, r.Data)
			dst = append(dst, '"')
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...)
}

// appendString appends s as a JSON string: as it is when it needs no escaping (record IDs
// and results always), through encoding/json otherwise.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
