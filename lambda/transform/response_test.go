package transform

import (
	"context"
	"encoding/json"
	"io"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/lambda/analyticstest"
)

func TestAppendResponseDecodesLikeEncodingJSON(t *testing.T) {
	ev := analyticstest.Batch(5, 10, 4)
	ev.Records = append(ev.Records, analyticstest.Event([]byte("broken")).Records[0])
	ev.Records[len(ev.Records)-1].RecordID = "odd \"id\" <é>"
	h := &Handler{Log: quiet}
	want, _ := h.Handle(context.Background(), ev)
	r, err := h.HandleRaw(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(r)
	var got events.KinesisFirehoseResponse
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("response is not JSON: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hand-written response decodes differently from the handler's result")
	}
	// The budget counts each record as encoding/json would write it, which is never
	// less than the hand-written form.
	std, _ := json.Marshal(want)
	if len(raw) > len(std) {
		t.Errorf("hand-written response %d bytes, encoding/json %d", len(raw), len(std))
	}
}
