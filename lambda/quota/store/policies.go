package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ccwb.dev/contract/quota"
)

// Policies reads every policy.
func (s *Store) Policies(ctx context.Context) ([]quota.Policy, error) {
	items, err := s.query(ctx, quota.PKPolicy)
	if err != nil {
		return nil, err
	}
	out := make([]quota.Policy, 0, len(items))
	for _, it := range items {
		var p quota.Policy
		if err := json.Unmarshal([]byte(getS(it, quota.AttrPolicy)), &p); err != nil {
			return nil, fmt.Errorf("quota policy %s in %s: %w", getS(it, quota.AttrSK), s.Table, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// PutPolicy writes a policy (replacing the one of the same ID), after checking it.
func (s *Store) PutPolicy(ctx context.Context, p quota.Policy, by string, now time.Time) error {
	if problems := p.Check(); len(problems) > 0 {
		return fmt.Errorf("quota policy %s: %s: %s", p.ID(), problems[0].Field, problems[0].Message)
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode quota policy: %w", err)
	}
	it := key(quota.PKPolicy, p.ID())
	it[quota.AttrPolicy] = str(string(doc))
	it[quota.AttrBy] = str(by)
	it[quota.AttrSince] = str(now.UTC().Format(time.RFC3339))
	if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it}); err != nil {
		return fmt.Errorf("write quota policy %s to %s: %w", p.ID(), s.Table, err)
	}
	return nil
}

// DeletePolicy removes a policy by ID.
func (s *Store) DeletePolicy(ctx context.Context, id string) error {
	return s.delete(ctx, quota.PKPolicy, id)
}

// PolicyCache keeps the policies for quota.PolicyCacheTTL, so that a warm function reads
// them at most once a minute.
type PolicyCache struct {
	Store *Store
	at    time.Time
	cur   []quota.Policy
}

// Get returns the cached policies, reading them again when they are older than the TTL.
func (c *PolicyCache) Get(ctx context.Context, now time.Time) ([]quota.Policy, error) {
	if c.cur != nil && now.Sub(c.at) < quota.PolicyCacheTTL {
		return c.cur, nil
	}
	ps, err := c.Store.Policies(ctx)
	if err != nil {
		return nil, err
	}
	c.cur, c.at = ps, now
	return ps, nil
}
