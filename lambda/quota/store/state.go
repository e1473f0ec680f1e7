package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ccwb.dev/contract/quota"
)

func isConditionFailed(err error) bool {
	var cond *types.ConditionalCheckFailedException
	return errors.As(err, &cond)
}

// SweptUntil is a Region's sweep checkpoint (zero: never swept).
func (s *Store) SweptUntil(ctx context.Context, region string) (time.Time, error) {
	o, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: key(quota.PKState, quota.SweepSK(region)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return time.Time{}, fmt.Errorf("read the sweep checkpoint of %s: %w", region, err)
	}
	ms := getN(o.Item, quota.AttrSweptUntil)
	if ms == 0 {
		return time.Time{}, nil
	}
	return time.UnixMilli(ms).UTC(), nil
}

// AdvanceSweep moves a Region's checkpoint from old to next, only if it still is old: of two
// sweeps, one advances it.
func (s *Store) AdvanceSweep(ctx context.Context, region string, old, next time.Time) error {
	it := key(quota.PKState, quota.SweepSK(region))
	it[quota.AttrSweptUntil] = num(next.UnixMilli())
	cond, values := "attribute_not_exists(#pk)", item{}
	if !old.IsZero() {
		cond, values = "#su = :old", item{":old": num(old.UnixMilli())}
	}
	in := &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it, ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: map[string]string{"#pk": quota.AttrPK}}
	if len(values) > 0 {
		in.ExpressionAttributeNames = map[string]string{"#su": quota.AttrSweptUntil}
		in.ExpressionAttributeValues = values
	}
	if _, err := s.DB.PutItem(ctx, in); err != nil {
		return fmt.Errorf("advance the sweep checkpoint of %s: %w", region, err)
	}
	return nil
}

// UserUsage is one subject's usage items and profile, as `ccwb quota usage` lists them.
type UserUsage struct {
	Subject, Email string
	Groups         []string
	Periods        map[string]quota.Usage // by period key
}

// AllUsage scans the users' partitions: every subject's usage of the given period keys.
func (s *Store) AllUsage(ctx context.Context, keys []string, now time.Time) (map[string]*UserUsage, error) {
	out := map[string]*UserUsage{}
	want := map[string]bool{quota.SKProfile: true}
	for _, k := range keys {
		want[k] = true
	}
	p := dynamodb.NewScanPaginator(s.DB, &dynamodb.ScanInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		FilterExpression:          aws.String("begins_with(#pk, :u)"),
		ExpressionAttributeNames:  map[string]string{"#pk": quota.AttrPK},
		ExpressionAttributeValues: item{":u": str(quota.UserPK(""))},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", s.Table, err)
		}
		for _, it := range page.Items {
			sub, _ := quota.SubjectOf(getS(it, quota.AttrPK))
			sk := getS(it, quota.AttrSK)
			if !want[sk] || expired(it, now) {
				continue
			}
			u := out[sub]
			if u == nil {
				u = &UserUsage{Subject: sub, Periods: map[string]quota.Usage{}}
				out[sub] = u
			}
			if sk == quota.SKProfile {
				u.Email, u.Groups = getS(it, quota.AttrEmail), getSS(it, quota.AttrGroups)
			} else {
				u.Periods[sk] = usageOf(it)
			}
		}
	}
	return out, nil
}

// The Bedrock role's name, which the home stack's seed records for the collectors of other
// Regions (a role name cannot cross Regions as a stack reference).
const (
	skRole       = "ROLE"
	attrRoleName = "role_name"
)

// PutRoleName records the Bedrock role's name.
func (s *Store) PutRoleName(ctx context.Context, name string) error {
	it := key(quota.PKState, skRole)
	it[attrRoleName] = str(name)
	if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}); err != nil {
		return fmt.Errorf("record the Bedrock role's name in %s: %w", s.Table, err)
	}
	return nil
}

// RoleName is the Bedrock role's name the seed recorded ("" before the first deploy).
func (s *Store) RoleName(ctx context.Context) (string, error) {
	o, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: key(quota.PKState, skRole), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return "", fmt.Errorf("read the Bedrock role's name from %s: %w", s.Table, err)
	}
	return getS(o.Item, attrRoleName), nil
}
