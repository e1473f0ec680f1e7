package sweep

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/invocationlog/logtest"
	"ccwb.dev/lambda/quota/store"
	"ccwb.dev/lambda/quota/store/storetest"
)

// TestSweepRecoversWhatTheConsumerMissed: of ten records in the log group the consumer got
// four (the rest dropped under overload); the sweep counts the six, not the four again; a
// second sweep counts nothing and starts from the checkpoint; records newer than the lag
// wait for the next sweep.
func TestSweepRecoversWhatTheConsumerMissed(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	s, url := storetest.New(t)
	creds, _ := storetest.Options(url)
	logs := cloudwatchlogs.New(cloudwatchlogs.Options{Region: storetest.Region, BaseEndpoint: aws.String(url), Credentials: creds})
	group := "/ccwb/bedrock/invocations"
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String("aws/bedrock/modelinvocations")}); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	var evs []types.InputLogEvent
	for i := range 11 {
		at := now.Add(-30 * time.Minute).Add(time.Duration(i) * time.Second)
		if i == 10 {
			at = now.Add(-time.Minute) // within the lag
		}
		m := logtest.Record(at, logtest.Role, "00ualice", fmt.Sprint("req-", i), logtest.Sonnet, 100, 10)
		msgs = append(msgs, m)
		evs = append(evs, types.InputLogEvent{Message: aws.String(m), Timestamp: aws.Int64(at.UnixMilli())})
	}
	if _, err := logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("aws/bedrock/modelinvocations"), LogEvents: evs}); err != nil {
		t.Fatal(err)
	}
	h := &ingest.Handler{Store: s, Caller: invocationlog.Caller{Account: logtest.Account, Role: logtest.Role},
		Counter: store.Counter{Prices: pricing.Defaults, Location: time.UTC}, Policies: &store.PolicyCache{Store: s},
		UnknownGroups: quota.UnknownStrictest, Deployment: "test", Now: func() time.Time { return now }}
	if err := h.Handle(ctx, logtest.Event(now, msgs[:4]...)); err != nil {
		t.Fatal(err)
	}
	sw := &Sweeper{Logs: logs, LogGroup: group, Region: "us-east-1", Ingest: h, Now: func() time.Time { return now }}
	res, err := sw.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 10 || res.Recovered != 6 {
		t.Errorf("first sweep read %d and recovered %d, want 10 and 6", res.Read, res.Recovered)
	}
	u, _ := s.Usage(ctx, "00ualice", quota.PeriodKey(quota.Monthly, now, time.UTC))
	if got := u[quota.PeriodKey(quota.Monthly, now, time.UTC)].Requests; got != 10 {
		t.Errorf("%d requests counted, want 10 (the eleventh is within the lag)", got)
	}
	later := now.Add(20 * time.Minute)
	sw.Now = func() time.Time { return later }
	res, err = sw.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.From.Equal(now.Add(-Lag)) || res.Recovered != 1 {
		t.Errorf("second sweep from %v recovered %d, want from the checkpoint %v and the eleventh record", res.From, res.Recovered, now.Add(-Lag))
	}
}
