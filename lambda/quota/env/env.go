// Package env is how the quota functions are configured: the environment variables the quota
// construct sets and the functions read (names defined here only), and the clients and
// settings made from them.
package env

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
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/invocationlog"
	"ccwb.dev/lambda/quota/store"
)

// The environment variables.
const (
	Deployment    = "CCWB_DEPLOYMENT"
	Table         = "QUOTA_TABLE"
	Ledger        = "QUOTA_LEDGER"
	TableRegion   = "QUOTA_TABLE_REGION" // the deployment's Region, where the tables are
	Account       = "BEDROCK_ACCOUNT"
	RoleName      = "BEDROCK_ROLE_NAME" // unset in other Regions: read from the table
	Prices        = "QUOTA_PRICES"      // JSON list of pricing.Price
	Timezone      = "QUOTA_TIMEZONE"
	UnknownGroups = "QUOTA_UNKNOWN_GROUPS"
	GroupsClaim   = "QUOTA_GROUPS_CLAIM"
	DenyPolicies  = "QUOTA_DENY_POLICY_ARNS" // comma-separated
	TopicARN      = "QUOTA_TOPIC_ARN"
	LogGroup      = "QUOTA_LOG_GROUP"
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
	loc, err := quota.LoadLocation(os.Getenv(Timezone))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Timezone, err)
	}
	var prices []pricing.Price
	if err := json.Unmarshal([]byte(os.Getenv(Prices)), &prices); err != nil {
		return nil, fmt.Errorf("%s is not a JSON price list: %w", Prices, err)
	}
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if r := os.Getenv(TableRegion); r != "" {
			o.Region = r
		}
	})
	c := &Config{
		AWS:     cfg,
		Store:   &store.Store{DB: db, Table: os.Getenv(Table), Ledger: os.Getenv(Ledger)},
		Counter: store.Counter{Prices: prices, Location: loc},
		Caller:  invocationlog.Caller{Account: os.Getenv(Account), Role: os.Getenv(RoleName)},
		Name:    os.Getenv(Deployment), Unknown: os.Getenv(UnknownGroups), Groups: os.Getenv(GroupsClaim),
		Topic: os.Getenv(TopicARN), LogGroup: os.Getenv(LogGroup),
	}
	if v := os.Getenv(DenyPolicies); v != "" {
		c.Deny = strings.Split(v, ",")
	}
	if c.Store.Table == "" || c.Store.Ledger == "" {
		return nil, fmt.Errorf("%s and %s must name the quota tables", Table, Ledger)
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
