// Package sweep re-reads a Region's invocation log group, hourly, and counts what the
// subscription's consumer missed. CloudWatch Logs invokes the consumer asynchronously: Lambda
// retries a failed event twice and may drop events it cannot deliver
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html), so the
// sweep reads [checkpoint, now − Lag] with FilterLogEvents, asks the ledger which requests
// were counted, counts the rest through the consumer's own path, and moves the checkpoint.
package sweep

import (
	"context"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/metrics"
)

// Lag keeps the sweep behind the log group's newest events, which the consumer is still
// being given.
const Lag = 10 * time.Minute

// FirstReach is how far back the first sweep of a Region reads.
const FirstReach = time.Hour

// batch is how many records are checked against the ledger and counted at once.
const batch = 500

// Sweeper sweeps one Region's log group.
type Sweeper struct {
	Logs     cloudwatchlogs.FilterLogEventsAPIClient
	LogGroup string
	Region   string
	Ingest   *ingest.Handler
	Now      func() time.Time
	Metrics  io.Writer
}

// Result is what one sweep did.
type Result struct {
	From, To  time.Time
	Read      int
	Recovered int // records only the sweep counted
}

// Sweep runs once.
func (s *Sweeper) Sweep(ctx context.Context) (Result, error) {
	now := s.Now()
	from, err := s.Ingest.Store.SweptUntil(ctx, s.Region)
	if err != nil {
		return Result{}, err
	}
	old := from
	if from.IsZero() {
		from = now.Add(-FirstReach)
	}
	if floor := now.AddDate(0, 0, -quota.SweepReachDays); from.Before(floor) {
		log.Printf("the sweep of %s is more than %d days behind; records before %s are not swept (their ledger entries may have expired)", s.Region, quota.SweepReachDays, floor)
		from = floor
	}
	res := Result{From: from, To: now.Add(-Lag)}
	if !res.To.After(from) {
		return res, nil
	}
	p := cloudwatchlogs.NewFilterLogEventsPaginator(s.Logs, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String(s.LogGroup), StartTime: aws.Int64(from.UnixMilli()), EndTime: aws.Int64(res.To.UnixMilli() - 1),
	})
	var pending []invocationlog.Record
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return res, fmt.Errorf("read log group %s: %w", s.LogGroup, err)
		}
		for _, e := range page.Events {
			r, err := invocationlog.Parse([]byte(aws.ToString(e.Message)))
			if err != nil {
				continue
			}
			res.Read++
			if pending = append(pending, r); len(pending) >= batch {
				if err := s.recover(ctx, pending, &res); err != nil {
					return res, err
				}
				pending = nil
			}
		}
	}
	if err := s.recover(ctx, pending, &res); err != nil {
		return res, err
	}
	if err := s.Ingest.Store.AdvanceSweep(ctx, s.Region, old, res.To); err != nil {
		return res, err
	}
	if s.Metrics != nil {
		_ = metrics.Emit(s.Metrics, s.Ingest.Deployment, now, map[string]float64{
			metrics.SweepLagSeconds: now.Sub(res.To).Seconds(), metrics.SweepRecovered: float64(res.Recovered)})
	}
	return res, nil
}

// recover counts the records of recs the ledger does not hold.
func (s *Sweeper) recover(ctx context.Context, recs []invocationlog.Record, res *Result) error {
	if len(recs) == 0 {
		return nil
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.RequestID
	}
	counted, err := s.Ingest.Store.Counted(ctx, s.Region, ids)
	if err != nil {
		return err
	}
	var missing []invocationlog.Record
	for _, r := range recs {
		if !counted[quota.LedgerKey(r.Region, r.RequestID)] {
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	got, err := s.Ingest.Records(ctx, missing, ingest.Result{})
	res.Recovered += got.Counted
	return err
}
