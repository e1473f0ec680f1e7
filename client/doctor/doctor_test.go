package doctor

import (
	"bytes"
	"context"
	"testing"
	"testing/synctest"
	"time"

	report "ccwb.dev/contract/doctor"
)

// Checks run side by side, each bounded: one that never answers fails after the probe
// timeout, naming it, and does not hold up the others.
func TestRunBoundsEachCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		results := Run(context.Background(), []Check{
			{"hangs", func(ctx context.Context) Result { <-ctx.Done(); time.Sleep(time.Minute); return Pass("too late") }},
			{"slow", func(ctx context.Context) Result { time.Sleep(3 * time.Second); return Pass("answered") }},
			{"broken", func(context.Context) Result { return Fail("do this", "found that") }},
		})
		if took := time.Since(start); took != report.ProbeTimeout {
			t.Errorf("the run took %s, want the probe timeout (%s): checks must run at once", took, report.ProbeTimeout)
		}
		want := []report.Result{
			{Check: "hangs", Status: report.Fail, Detail: "no answer within 5s", DurationMS: 5000},
			{Check: "slow", Status: report.Pass, Detail: "answered", DurationMS: 3000},
			{Check: "broken", Status: report.Fail, Detail: "found that", Fix: "do this"},
		}
		for i, r := range results {
			if r.Check != want[i].Check || r.Status != want[i].Status || r.Detail != want[i].Detail || r.DurationMS != want[i].DurationMS {
				t.Errorf("result %d = %+v, want %+v", i, r, want[i])
			}
		}
		if results[0].Fix == "" {
			t.Error("the unanswered check names no fix")
		}
		time.Sleep(time.Minute) // the late check finishes, its answer unread
	})
}

func TestWriteTextOneLineEach(t *testing.T) {
	r := NewReport("credential-process --doctor", "1.0", []report.Result{
		{Check: "config", Status: report.Pass, Detail: "profile ClaudeCode"},
		{Check: "callback port", Status: report.Fail, Detail: "8400 is in use", Fix: "close the program on port 8400"},
	})
	var buf bytes.Buffer
	if err := WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := "PASS  config         profile ClaudeCode\nFAIL  callback port  8400 is in use — fix: close the program on port 8400\n"
	if buf.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", buf.String(), want)
	}
	if !r.Failed() {
		t.Error("a failed check does not fail the report")
	}
	if r.OS == "" || r.Time.IsZero() {
		t.Error("the report names no OS or time")
	}
}
