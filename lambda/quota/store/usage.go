package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
)

// Invocation is one metered call: the ledger's key (Region and request ID) and what it used.
type Invocation struct {
	Region, RequestID, Model string
	Time                     time.Time
	Tokens                   pricing.Tokens
}

// Counter prices and dates invocations: the deployment's prices and quota.timezone.
type Counter struct {
	Prices   []pricing.Price
	Location *time.Location
}

// maxRecords per transaction: TransactWriteItems takes 100 actions, and each holds the day's
// and the month's counter besides one ledger entry per invocation.
const maxRecords = 98

// Count adds a subject's invocations to their day and month counters, each exactly once:
// every invocation's ledger entry is written in the same transaction as the counters, on
// condition that it does not exist yet. An entry that exists means the invocation was
// counted (a redelivered batch, the sweep reading it again): it is dropped and the rest
// retried. It returns how many invocations it counted now.
func (s *Store) Count(ctx context.Context, c Counter, sub string, invs []Invocation) (int, error) {
	byDay := map[string][]Invocation{}
	var days []string
	for _, inv := range invs {
		d := quota.PeriodKey(quota.Daily, inv.Time, c.Location)
		if _, ok := byDay[d]; !ok {
			days = append(days, d)
		}
		byDay[d] = append(byDay[d], inv)
	}
	counted := 0
	for _, d := range days {
		day := byDay[d]
		for len(day) > 0 {
			chunk := day[:min(len(day), maxRecords)]
			day = day[len(chunk):]
			n, err := s.countChunk(ctx, c, sub, chunk)
			counted += n
			if err != nil {
				return counted, err
			}
		}
	}
	return counted, nil
}

// countChunk writes one transaction of invocations of one day, dropping the ones the
// ledger already holds, with a few retries of a transaction conflict.
func (s *Store) countChunk(ctx context.Context, c Counter, sub string, invs []Invocation) (int, error) {
	for attempt := 0; len(invs) > 0; attempt++ {
		_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: s.countActions(c, sub, invs)})
		if err == nil {
			return len(invs), nil
		}
		var cancelled *types.TransactionCanceledException
		if !errors.As(err, &cancelled) || attempt >= 5 {
			return 0, fmt.Errorf("count %d invocations of %s: %w", len(invs), sub, err)
		}
		var keep []Invocation
		for i, inv := range invs {
			if i < len(cancelled.CancellationReasons) && aws.ToString(cancelled.CancellationReasons[i].Code) == "ConditionalCheckFailed" {
				continue // counted before
			}
			keep = append(keep, inv)
		}
		if len(keep) == len(invs) { // a conflict, not a duplicate: wait and try again
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(time.Duration(50<<attempt) * time.Millisecond):
			}
		}
		invs = keep
	}
	return 0, nil
}

func (s *Store) countActions(c Counter, sub string, invs []Invocation) []types.TransactWriteItem {
	var u quota.Usage
	var actions []types.TransactWriteItem
	t := invs[0].Time
	for _, inv := range invs {
		u.Add(inv.Tokens, inv.Model, c.Prices)
		actions = append(actions, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(s.Ledger),
			Item: item{
				quota.AttrPK: str(quota.LedgerKey(inv.Region, inv.RequestID)), "subject": str(sub),
				quota.AttrExpiresAt: num(inv.Time.AddDate(0, 0, quota.LedgerDays).Unix()),
			},
			ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
			ExpressionAttributeNames: map[string]string{"#pk": quota.AttrPK},
		}})
	}
	for _, p := range []struct {
		period quota.Period
		keep   int
	}{{quota.Daily, quota.DayUsageDays}, {quota.Monthly, quota.MonthUsageDays}} {
		end := quota.End(p.period, t, c.Location)
		actions = append(actions, types.TransactWriteItem{Update: s.addUsage(sub, quota.PeriodKey(p.period, t, c.Location), u, end.AddDate(0, 0, p.keep))})
	}
	return actions
}

func (s *Store) addUsage(sub, periodKey string, u quota.Usage, expires time.Time) *types.Update {
	expr := "ADD #i :i, #o :o, #cr :cr, #cc :cc, #usd :usd, #ut :ut, #n :n SET #exp = :exp"
	names := map[string]string{"#i": quota.AttrInput, "#o": quota.AttrOutput, "#cr": quota.AttrCacheRead, "#cc": quota.AttrCacheCreation,
		"#usd": quota.AttrMicroUSD, "#ut": quota.AttrUnpricedTokens, "#n": quota.AttrRequests, "#exp": quota.AttrExpiresAt}
	values := item{":i": num(u.Input), ":o": num(u.Output), ":cr": num(u.CacheRead), ":cc": num(u.CacheCreation),
		":usd": num(u.MicroUSD), ":ut": num(u.UnpricedTokens), ":n": num(u.Requests), ":exp": num(expires.Unix())}
	if len(u.UnpricedModels) > 0 {
		expr = "ADD #i :i, #o :o, #cr :cr, #cc :cc, #usd :usd, #ut :ut, #n :n, #um :um SET #exp = :exp"
		names["#um"] = quota.AttrUnpricedModels
		values[":um"] = &types.AttributeValueMemberSS{Value: u.UnpricedModels}
	}
	return &types.Update{TableName: aws.String(s.Table), Key: key(quota.UserPK(sub), periodKey),
		UpdateExpression: aws.String(expr), ExpressionAttributeNames: names, ExpressionAttributeValues: values}
}

func usageOf(it item) quota.Usage {
	return quota.Usage{
		Tokens: pricing.Tokens{Input: getN(it, quota.AttrInput), Output: getN(it, quota.AttrOutput),
			CacheRead: getN(it, quota.AttrCacheRead), CacheCreation: getN(it, quota.AttrCacheCreation)},
		MicroUSD: getN(it, quota.AttrMicroUSD), UnpricedTokens: getN(it, quota.AttrUnpricedTokens),
		UnpricedModels: getSS(it, quota.AttrUnpricedModels), Requests: getN(it, quota.AttrRequests),
	}
}

// Usage reads a subject's usage of the given period keys (strongly consistent); a period
// without usage is zero.
func (s *Store) Usage(ctx context.Context, sub string, keys ...string) (map[string]quota.Usage, error) {
	out := map[string]quota.Usage{}
	for _, k := range keys {
		o, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: key(quota.UserPK(sub), k), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return nil, fmt.Errorf("read usage %s of %s: %w", k, sub, err)
		}
		out[k] = usageOf(o.Item)
	}
	return out, nil
}

// Counted reports which of a Region's request IDs the ledger holds, as the set of their
// quota.LedgerKey (BatchGetItem, 100 keys a call, unprocessed keys asked again).
func (s *Store) Counted(ctx context.Context, region string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 100)]
		ids = ids[len(batch):]
		keys := make([]item, 0, len(batch))
		seen := map[string]bool{}
		for _, id := range batch {
			if !seen[id] {
				seen[id] = true
				keys = append(keys, item{quota.AttrPK: str(quota.LedgerKey(region, id))})
			}
		}
		req := map[string]types.KeysAndAttributes{s.Ledger: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		for attempt := 0; len(req) > 0 && attempt < 8; attempt++ {
			o, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, fmt.Errorf("read the ledger %s: %w", s.Ledger, err)
			}
			for _, it := range o.Responses[s.Ledger] {
				out[getS(it, quota.AttrPK)] = true
			}
			req = o.UnprocessedKeys
		}
	}
	return out, nil
}
