package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/lambda/analyticstest"
)

func TestInvokeAnswersAsHandleRaw(t *testing.T) {
	ev := analyticstest.Batch(5, 10, 4)
	ev.Records = append(ev.Records, analyticstest.Event([]byte("broken"), analyticstest.ControlRecord()).Records...)
	ev.DeliveryStreamArn = "arn:aws:firehose:eu-central-1:123456789012:deliverystream/metrics"
	plain, _ := json.Marshal(ev)
	// The same request with what the plain reader leaves to encoding/json: an escaped
	// record ID, a key in another case, a Kinesis source's record metadata.
	odd := bytes.Replace(plain, []byte(`"recordId":"`), []byte(`"recordId":"\u0041`), 1)
	odd = bytes.Replace(odd, []byte(`"region"`), []byte(`"Region"`), 1)
	meta := bytes.Replace(plain, []byte(`"kinesisRecordMetadata":{`), []byte(`"kinesisRecordMetadata":{"shardId":"shard-1",`), 1)
	h := &Handler{Log: quiet}
	for name, payload := range map[string][]byte{"plain": plain, "escaped": odd, "metadata": meta} {
		var ev events.KinesisFirehoseEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			t.Fatal(err)
		}
		r, err := h.HandleRaw(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := io.ReadAll(r)
		for range 2 { // again with the pooled buffers of the first call
			got, err := h.Invoke(context.Background(), payload)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s: Invoke answered differently from HandleRaw:\n%.300s\n%.300s", name, got, want)
			}
		}
	}
}

// With ReuseResponse, each response is written into the buffer of the one before and is
// still whole and right; without it, a response outlives the next Invoke.
func TestInvokeReusesTheResponseOnlyWhenAllowed(t *testing.T) {
	big, _ := json.Marshal(analyticstest.Batch(4, 20, 7))
	small, _ := json.Marshal(analyticstest.Batch(1, 3, 8))
	want := func(payload []byte) []byte {
		var ev events.KinesisFirehoseEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			t.Fatal(err)
		}
		r, _ := (&Handler{Log: quiet}).HandleRaw(context.Background(), ev)
		b, _ := io.ReadAll(r)
		return b
	}
	wantBig, wantSmall := want(big), want(small)
	for _, reuse := range []bool{false, true} {
		h := &Handler{Log: quiet, ReuseResponse: reuse}
		first, err := h.Invoke(context.Background(), big)
		if err != nil || !bytes.Equal(first, wantBig) {
			t.Fatalf("reuse %v: first response wrong (%v)", reuse, err)
		}
		kept := bytes.Clone(first)
		second, err := h.Invoke(context.Background(), small)
		if err != nil || !bytes.Equal(second, wantSmall) {
			t.Fatalf("reuse %v: second response wrong (%v)", reuse, err)
		}
		shared := &first[0] == &second[0]
		if shared != reuse {
			t.Errorf("reuse %v: second response in the first's buffer: %v", reuse, shared)
		}
		if !reuse && !bytes.Equal(first, kept) {
			t.Errorf("without ReuseResponse the second Invoke changed the first response")
		}
	}
}

func TestInvokeNamesAMalformedRequest(t *testing.T) {
	h := &Handler{Log: quiet}
	for _, payload := range []string{``, `[]`, `{"records":[{"data":"not base64!"}]}`, `{"records":{}}`, `{"records":[]} x`} {
		_, err := h.Invoke(context.Background(), []byte(payload))
		if err == nil || !strings.Contains(err.Error(), "decode the Firehose request") {
			t.Errorf("Invoke(%q) = %v, want an error naming the request", payload, err)
		}
	}
}

// FuzzDecodeRequest checks the plain request reader against encoding/json: whatever it
// accepts, it reads as encoding/json does.
func FuzzDecodeRequest(f *testing.F) {
	plain, _ := json.Marshal(analyticstest.Batch(2, 2, 1))
	f.Add(plain)
	f.Add([]byte(`{"invocationId":"i","deliveryStreamArn":"a","region":"r","records":[{"recordId":"1","approximateArrivalTimestamp":1794146706789,"data":"","kinesisRecordMetadata":{"shardId":"s","partitionKey":"p","approximateArrivalTimestamp":1,"sequenceNumber":"n","subsequenceNumber":"0"}},{"recordId":"2"}]}`))
	f.Add([]byte(`{"records":[{"data":"AAEC","data":"AQ==","approximateArrivalTimestamp":-1500}],"region":"x","region":"y"}`))
	f.Add([]byte(`{"records":[null]}`))
	var inv invocation
	f.Fuzz(func(t *testing.T, payload []byte) {
		if inv.decodeRequest(payload) != nil {
			return
		}
		var want events.KinesisFirehoseEvent
		if err := json.Unmarshal(payload, &want); err != nil {
			t.Fatalf("read a request encoding/json refuses (%v): %q", err, payload)
		}
		if !reflect.DeepEqual(inv.ev, want) {
			t.Fatalf("read differently from encoding/json:\n%+v\n%+v", inv.ev, want)
		}
	})
}
