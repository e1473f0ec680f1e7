// Package setup builds the quota functions' parts from their environment (the variables
// of lambda/quota/env).
package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/stacks"
	"ccwb.dev/lambda/quota/env"
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/store"
)

// Config is the functions' configuration.
type Config struct {
	AWS      aws.Config
	Store    *store.Store
	Counter  store.Counter
	Caller   invocationlog.Caller
	Name     string
	Unknown  string
	Groups   string
	Deny     []string
	Topic    string
	LogGroup string
}

// Load reads the environment; a missing or bad value is an error naming it.
func Load(ctx context.Context) (*Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	loc, err := quota.LoadLocation(os.Getenv(env.Timezone))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", env.Timezone, err)
	}
	var prices []pricing.Price
	if err := json.Unmarshal([]byte(os.Getenv(env.Prices)), &prices); err != nil {
		return nil, fmt.Errorf("%s is not a JSON price list: %w", env.Prices, err)
	}
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if r := os.Getenv(env.TableRegion); r != "" {
			o.Region = r
		}
	})
	c := &Config{
		AWS:     cfg,
		Store:   &store.Store{DB: db, Table: os.Getenv(env.Table), Ledger: os.Getenv(env.Ledger)},
		Counter: store.Counter{Prices: prices, Location: loc},
		Caller:  invocationlog.Caller{Account: os.Getenv(env.Account), Role: os.Getenv(env.RoleName)},
		Name:    os.Getenv(env.Deployment), Unknown: os.Getenv(env.UnknownGroups), Groups: os.Getenv(env.GroupsClaim),
		Topic: os.Getenv(env.TopicARN), LogGroup: os.Getenv(env.LogGroup),
	}
	if v := os.Getenv(env.DenyPolicies); v != "" {
		c.Deny = strings.Split(v, ",")
	}
	if c.Store.Table == "" || c.Store.Ledger == "" {
		return nil, fmt.Errorf("%s and %s must name the quota tables", env.Table, env.Ledger)
	}
	if c.Caller.Role == "" { // a collector in another Region: the home stack's seed recorded it
		if c.Caller.Role, err = c.Store.RoleName(ctx); err != nil {
			return nil, err
		}
		if c.Caller.Role == "" {
			return nil, fmt.Errorf("%s has no Bedrock role name yet: deploy the %s stack first", c.Store.Table, stacks.Name(c.Name, stacks.Quota))
		}
	}
	return c, nil
}

// Now is the functions' clock.
func Now() time.Time { return time.Now().UTC() }

// Ingest is the consumer of these settings, writing its metrics to stdout (the sweep
// counts through it too).
func (c *Config) Ingest() *ingest.Handler {
	return &ingest.Handler{Store: c.Store, Caller: c.Caller, Counter: c.Counter, Policies: &store.PolicyCache{Store: c.Store},
		UnknownGroups: c.Unknown, Deployment: c.Name, Now: Now, Metrics: os.Stdout}
}
