// Package store is the quota service's one DynamoDB layer: policies, usage counters and the
// ledger that makes counting idempotent, profiles, blocks, overrides, notification markers
// and the sweep's checkpoints, in the layout of contract/quota (keys.go). The Lambda
// functions and the `ccwb quota` commands use it; the credential process never does.
package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ccwb.dev/contract/quota"
)

// Store reads and writes a deployment's two quota tables.
type Store struct {
	DB *dynamodb.Client
	// Table is the quota table (pk, sk); Ledger the ledger table (pk) of counted invocations.
	Table, Ledger string
}

type item = map[string]types.AttributeValue

func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
func fnum(f float64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatFloat(f, 'f', -1, 64)}
}

func key(pk, sk string) item { return item{quota.AttrPK: str(pk), quota.AttrSK: str(sk)} }

func getS(it item, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func getN(it item, name string) int64 {
	if v, ok := it[name].(*types.AttributeValueMemberN); ok {
		n, _ := strconv.ParseInt(v.Value, 10, 64)
		return n
	}
	return 0
}

func getF(it item, name string) float64 {
	if v, ok := it[name].(*types.AttributeValueMemberN); ok {
		f, _ := strconv.ParseFloat(v.Value, 64)
		return f
	}
	return 0
}

func getSS(it item, name string) []string {
	switch v := it[name].(type) {
	case *types.AttributeValueMemberSS:
		return v.Value
	case *types.AttributeValueMemberL:
		var out []string
		for _, e := range v.Value {
			if s, ok := e.(*types.AttributeValueMemberS); ok {
				out = append(out, s.Value)
			}
		}
		return out
	}
	return nil
}

// expired: TTL deletes items late (typically within two days: contract/quota), so readers
// check themselves.
func expired(it item, now time.Time) bool {
	e := getN(it, quota.AttrExpiresAt)
	return e != 0 && e <= now.Unix()
}

// query reads every item of a partition (all pages), consistently.
func (s *Store) query(ctx context.Context, pk string) ([]item, error) {
	var out []item
	p := dynamodb.NewQueryPaginator(s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": quota.AttrPK},
		ExpressionAttributeValues: item{":pk": str(pk)},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %s from %s: %w", pk, s.Table, err)
		}
		out = append(out, page.Items...)
	}
	return out, nil
}

// putNew writes it unless an item with its key exists; created is false then.
func (s *Store) putNew(ctx context.Context, it item, what string) (created bool, err error) {
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.Table), Item: it,
		ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
		ExpressionAttributeNames: map[string]string{"#pk": quota.AttrPK},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("write %s to %s: %w", what, s.Table, err)
	}
	return true, nil
}

func (s *Store) delete(ctx context.Context, pk, sk string) error {
	if _, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table), Key: key(pk, sk)}); err != nil {
		return fmt.Errorf("delete %s %s from %s: %w", pk, sk, s.Table, err)
	}
	return nil
}
