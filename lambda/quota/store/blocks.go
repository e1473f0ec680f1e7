package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ccwb.dev/contract/quota"
)

// Block is a subject the deny policies list, until their period ends.
type Block struct {
	Subject     string
	Policy      quota.Policy
	Limit, Used float64
	Since       time.Time
	Until       time.Time
}

// PutBlock records a block unless the subject is blocked already (one writer wins); an
// expired block is replaced. created says this call blocked them.
func (s *Store) PutBlock(ctx context.Context, b Block) (created bool, err error) {
	doc, _ := json.Marshal(b.Policy)
	it := key(quota.PKBlock, b.Subject)
	it[quota.AttrPolicy] = str(string(doc))
	it[quota.AttrLimit], it[quota.AttrUsed] = fnum(b.Limit), fnum(b.Used)
	it[quota.AttrSince] = str(b.Since.UTC().Format(time.RFC3339))
	it[quota.AttrUntil] = str(b.Until.UTC().Format(time.RFC3339))
	it[quota.AttrExpiresAt] = num(b.Until.AddDate(0, 0, 1).Unix())
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.Table), Item: it,
		ConditionExpression:       aws.String("attribute_not_exists(#pk) OR #until <= :now"),
		ExpressionAttributeNames:  map[string]string{"#pk": quota.AttrPK, "#until": quota.AttrUntil},
		ExpressionAttributeValues: item{":now": str(b.Since.UTC().Format(time.RFC3339))},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("block %s in %s: %w", b.Subject, s.Table, err)
	}
	return true, nil
}

// Blocks are the blocks in force at now, the earliest first.
func (s *Store) Blocks(ctx context.Context, now time.Time) ([]Block, error) {
	items, err := s.query(ctx, quota.PKBlock)
	if err != nil {
		return nil, err
	}
	var out []Block
	for _, it := range items {
		b := Block{Subject: getS(it, quota.AttrSK), Limit: getF(it, quota.AttrLimit), Used: getF(it, quota.AttrUsed)}
		b.Since, _ = time.Parse(time.RFC3339, getS(it, quota.AttrSince))
		b.Until, _ = time.Parse(time.RFC3339, getS(it, quota.AttrUntil))
		_ = json.Unmarshal([]byte(getS(it, quota.AttrPolicy)), &b.Policy)
		if b.Until.After(now) {
			out = append(out, b)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Since.Equal(out[j].Since) {
			return out[i].Since.Before(out[j].Since)
		}
		return out[i].Subject < out[j].Subject
	})
	return out, nil
}

// DeleteBlock lifts a subject's block record.
func (s *Store) DeleteBlock(ctx context.Context, sub string) error {
	return s.delete(ctx, quota.PKBlock, sub)
}

// Override is an administrator's unblock of a subject until a time.
type Override struct {
	Subject, By, Reason string
	Until               time.Time
}

// PutOverride records an override (replacing an earlier one).
func (s *Store) PutOverride(ctx context.Context, o Override) error {
	it := key(quota.PKOverride, o.Subject)
	it[quota.AttrUntil] = str(o.Until.UTC().Format(time.RFC3339))
	it[quota.AttrBy], it[quota.AttrReason] = str(o.By), str(o.Reason)
	it[quota.AttrExpiresAt] = num(o.Until.Unix())
	if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}); err != nil {
		return fmt.Errorf("unblock %s in %s: %w", o.Subject, s.Table, err)
	}
	return nil
}

// Overrides are the overrides in force at now, by subject.
func (s *Store) Overrides(ctx context.Context, now time.Time) (map[string]Override, error) {
	items, err := s.query(ctx, quota.PKOverride)
	if err != nil {
		return nil, err
	}
	out := map[string]Override{}
	for _, it := range items {
		o := Override{Subject: getS(it, quota.AttrSK), By: getS(it, quota.AttrBy), Reason: getS(it, quota.AttrReason)}
		o.Until, _ = time.Parse(time.RFC3339, getS(it, quota.AttrUntil))
		if o.Until.After(now) {
			out[o.Subject] = o
		}
	}
	return out, nil
}

// OverrideOf is one subject's override in force at now (zero time: none).
func (s *Store) OverrideOf(ctx context.Context, sub string, now time.Time) (time.Time, error) {
	o, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: key(quota.PKOverride, sub), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return time.Time{}, fmt.Errorf("read the override of %s: %w", sub, err)
	}
	until, _ := time.Parse(time.RFC3339, getS(o.Item, quota.AttrUntil))
	if !until.After(now) {
		return time.Time{}, nil
	}
	return until, nil
}

// PutNote marks that a notification goes out, once: created is false when it went out before.
func (s *Store) PutNote(ctx context.Context, sub, sk, message string, expires time.Time) (bool, error) {
	it := key(quota.UserPK(sub), sk)
	it[quota.AttrMessage] = str(message)
	it[quota.AttrExpiresAt] = num(expires.Unix())
	return s.putNew(ctx, it, "notification "+sk)
}

// Profile is what the check service last saw of a subject's verified ID token.
func (s *Store) Profile(ctx context.Context, sub string) (quota.Subject, string, error) {
	o, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: key(quota.UserPK(sub), quota.SKProfile)})
	if err != nil {
		return quota.Subject{}, "", fmt.Errorf("read the profile of %s: %w", sub, err)
	}
	if len(o.Item) == 0 {
		return quota.Subject{Sub: sub}, "", nil
	}
	return quota.Subject{Sub: sub, Groups: getSS(o.Item, quota.AttrGroups), KnownGroups: true}, getS(o.Item, quota.AttrEmail), nil
}

// PutProfile stores a subject's email and groups from a verified token (kept
// quota.ProfileDays).
func (s *Store) PutProfile(ctx context.Context, sub, email string, groups []string, now time.Time) error {
	it := key(quota.UserPK(sub), quota.SKProfile)
	it[quota.AttrEmail] = str(email)
	l := make([]types.AttributeValue, len(groups))
	for i, g := range groups {
		l[i] = str(g)
	}
	it[quota.AttrGroups] = &types.AttributeValueMemberL{Value: l}
	it[quota.AttrLastCheck] = str(now.UTC().Format(time.RFC3339))
	it[quota.AttrExpiresAt] = num(now.AddDate(0, 0, quota.ProfileDays).Unix())
	if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}); err != nil {
		return fmt.Errorf("write the profile of %s: %w", sub, err)
	}
	return nil
}
