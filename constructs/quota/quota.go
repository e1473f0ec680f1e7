// Package quota is the spend-control construct: the quota tables, the deny policies on the
// Bedrock role and their enforcer, the check service the credential process asks, the seed
// of the settings' policies, the notification topic, the dashboard and alarms, and the
// collector of the deployment's Region (NewCollector makes the other Regions')
// (docs/platform/quotas.md).
package quota

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/constructs/function"
	"ccwb.dev/constructs/monitoring"
	"ccwb.dev/contract/pricing"
	qc "ccwb.dev/contract/quota"
	"ccwb.dev/contract/quota/denypolicy"
	"ccwb.dev/lambda/quota/env"
)

// Code is the quota functions' code (lambdabuild bootstraps of ccwb.dev/lambda/<name>).
type Code struct {
	Ingest, Sweep, Enforce, Check, Logging, Seed awslambda.Code
}

// QuotaProps configure the quota construct.
type QuotaProps struct {
	// Deployment names the tables (qc.TableName) and the metrics' dimension. Required.
	Deployment string
	// Role is the Bedrock role the deny policies attach to. Required.
	Role awsiam.IRole
	// Issuer and ClientID are what the check API's JWT authorizer accepts. Required.
	Issuer, ClientID string
	// DenyPolicies is how many deny policies to create (denypolicy.Policies). Default 1.
	DenyPolicies int
	// Policies are seeded into the table at each deploy (source "settings").
	Policies []qc.Policy
	// Prices price USD limits. Default pricing.Defaults.
	Prices []pricing.Price
	// Timezone, UnknownGroups and GroupsClaim: the quota settings. Defaults
	// qc.DefaultTimezone, qc.UnknownStrictest, qc.DefaultGroupsClaim.
	Timezone, UnknownGroups, GroupsClaim string
	// NotifyEmail is subscribed to the topic. Default none.
	NotifyEmail string
	// Collector configures the deployment Region's collector (its tables and code are
	// filled in).
	Collector CollectorProps
	Code      Code
}

// Quota is the spend control of one deployment.
type Quota struct {
	constructs.Construct
	Table, Ledger awsdynamodb.Table
	DenyPolicies  []awsiam.ManagedPolicy
	Topic         awssns.Topic
	TopicKey      awskms.Key
	Enforcer      *function.Function
	Check         *function.Function
	Seed          awscdk.CustomResource
	API           *CheckAPI
	Collector     *Collector
	Dashboard     *Dashboard
	// Env is the functions' environment, for the collectors of other Regions (without the
	// role name, which they read from the table).
	Env map[string]*string
}

// NewQuota creates the quota service of the deployment's Region.
func NewQuota(scope constructs.Construct, id string, props *QuotaProps) *Quota {
	p := props.withDefaults()
	q := &Quota{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	q.tables(p)
	q.Env = Env(p, awscdk.Stack_Of(q.Construct).Region())
	home := with(q.Env, map[string]*string{env.RoleName: p.Role.RoleName()})
	q.TopicKey = monitoring.AlarmTopicKey(q.Construct)
	q.Topic = awssns.NewTopic(q.Construct, jsii.String("Topic"), &awssns.TopicProps{MasterKey: q.TopicKey, EnforceSSL: jsii.Bool(true),
		DisplayName: jsii.String("ccwb quota " + p.Deployment)})
	if p.NotifyEmail != "" {
		q.Topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(p.NotifyEmail), nil))
	}
	q.denyPolicies(p)
	q.enforcer(p, home)
	q.seed(p, home)
	// The check answers within the credential process's bound (qc.CheckTimeout), a second
	// kept for the network: past it the client's fail mode decides anyway.
	q.Check = newFunction(q.Construct, "Check", function.Props{
		Description: "answers the credential process's quota check with the verdict of the user's limits",
		Code:        p.Code.Check, Env: home, MemoryMB: FunctionMemoryMB, Timeout: awscdk.Duration_Seconds(jsii.Number((qc.CheckTimeout - time.Second).Seconds())),
	})
	q.Table.GrantReadWriteData(q.Check.Role)
	q.API = NewCheckAPI(q.Construct, "CheckApi", q.Check.Function, p.Issuer, p.ClientID)
	c := p.Collector
	c.Table, c.Ledger, c.Env, c.Ingest, c.Sweep, c.Logging = q.Table, q.Ledger, home, p.Code.Ingest, p.Code.Sweep, p.Code.Logging
	q.Collector = NewCollector(q.Construct, "Collector", &c)
	q.Dashboard = NewDashboard(q.Construct, "Dashboard", q)
	suppress(q)
	return q
}

func (props *QuotaProps) withDefaults() QuotaProps {
	if props == nil || props.Deployment == "" || props.Role == nil || props.Issuer == "" || props.ClientID == "" {
		panic("quota.NewQuota: Deployment, Role, Issuer and ClientID are required")
	}
	p := *props
	if p.DenyPolicies == 0 {
		p.DenyPolicies = 1
	}
	if p.DenyPolicies > denypolicy.MaxPolicies {
		panic(fmt.Sprintf("quota.NewQuota: %d deny policies, more than a role takes (%d)", p.DenyPolicies, denypolicy.MaxPolicies))
	}
	if p.Prices == nil {
		p.Prices = pricing.Defaults
	}
	if p.Timezone == "" {
		p.Timezone = qc.DefaultTimezone
	}
	if p.UnknownGroups == "" {
		p.UnknownGroups = qc.UnknownStrictest
	}
	if p.GroupsClaim == "" {
		p.GroupsClaim = qc.DefaultGroupsClaim
	}
	return p
}

// Env is the quota functions' environment in any Region: the tables of the deployment's
// Region (home), the prices and the quota settings.
func Env(p QuotaProps, home *string) map[string]*string {
	prices, err := json.Marshal(p.Prices)
	if err != nil {
		panic(err)
	}
	return map[string]*string{
		env.Deployment: jsii.String(p.Deployment), env.Table: jsii.String(qc.TableName(p.Deployment)),
		env.Ledger: jsii.String(qc.LedgerTableName(p.Deployment)), env.TableRegion: home,
		env.Account: awscdk.Aws_ACCOUNT_ID(), env.Prices: jsii.String(string(prices)), env.Timezone: jsii.String(p.Timezone),
		env.UnknownGroups: jsii.String(p.UnknownGroups), env.GroupsClaim: jsii.String(p.GroupsClaim),
	}
}

// with is a copy of the environment e with the variables of more.
func with(e, more map[string]*string) map[string]*string {
	out := maps.Clone(e)
	maps.Copy(out, more)
	return out
}

// tables: the quota table (policies, usage, blocks; its stream feeds the enforcer) and the
// ledger; on demand, point-in-time recovery, TTL on expires_at. They have the deployment's
// names (qc.TableName) so that the collectors of other Regions reach them.
func (q *Quota) tables(p QuotaProps) {
	str := awsdynamodb.AttributeType_STRING
	pitr := &awsdynamodb.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: jsii.Bool(true)}
	q.Table = awsdynamodb.NewTable(q.Construct, jsii.String("Table"), &awsdynamodb.TableProps{
		TableName:    jsii.String(qc.TableName(p.Deployment)),
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String(qc.AttrPK), Type: str},
		SortKey:      &awsdynamodb.Attribute{Name: jsii.String(qc.AttrSK), Type: str},
		BillingMode:  awsdynamodb.BillingMode_PAY_PER_REQUEST, PointInTimeRecoverySpecification: pitr,
		TimeToLiveAttribute: jsii.String(qc.AttrExpiresAt), Stream: awsdynamodb.StreamViewType_NEW_IMAGE,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	q.Ledger = awsdynamodb.NewTable(q.Construct, jsii.String("Ledger"), &awsdynamodb.TableProps{
		TableName:    jsii.String(qc.LedgerTableName(p.Deployment)),
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String(qc.AttrPK), Type: str},
		BillingMode:  awsdynamodb.BillingMode_PAY_PER_REQUEST, PointInTimeRecoverySpecification: pitr,
		TimeToLiveAttribute: jsii.String(qc.AttrExpiresAt), RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
}

// denyPolicies are the customer-managed policies the enforcer rewrites, created empty (the
// placeholder) and attached to the Bedrock role.
func (q *Quota) denyPolicies(p QuotaProps) {
	var doc map[string]any
	_ = json.Unmarshal([]byte(denypolicy.For(nil).JSON()), &doc)
	for i := range p.DenyPolicies {
		q.DenyPolicies = append(q.DenyPolicies, awsiam.NewManagedPolicy(q.Construct, jsii.String(fmt.Sprint("DenyPolicy", i)), &awsiam.ManagedPolicyProps{
			Description: jsii.String(fmt.Sprintf("ccwb quota %s: denies Bedrock to blocked users (%d of %d); the quota enforcer rewrites it", p.Deployment, i+1, p.DenyPolicies)),
			Document:    awsiam.PolicyDocument_FromJson(doc),
			Roles:       &[]awsiam.IRole{p.Role},
		}))
	}
}

func (q *Quota) seed(p QuotaProps, home map[string]*string) {
	f := newFunction(q.Construct, "SeedPolicies", function.Props{
		Description: "writes the settings' quota policies into the quota table at each deploy",
		Code:        p.Code.Seed, Env: home, Timeout: awscdk.Duration_Minutes(jsii.Number(1)),
	})
	q.Table.GrantReadWriteData(f.Role)
	policies := p.Policies
	if policies == nil {
		policies = []qc.Policy{}
	}
	raw, _ := json.Marshal(policies)
	q.Seed = awscdk.NewCustomResource(q.Construct, jsii.String("Policies"), &awscdk.CustomResourceProps{
		ServiceToken: f.Function.FunctionArn(), ResourceType: jsii.String("Custom::QuotaPolicies"),
		Properties: &map[string]any{env.SeedPolicies: string(raw), env.SeedRoleName: p.Role.RoleName()},
	})
	q.Seed.Node().AddDependency(f.Role)
}

// denyPolicyARNs are the deny policies' ARNs, in order.
func (q *Quota) denyPolicyARNs() []*string {
	arns := make([]*string, len(q.DenyPolicies))
	for i, d := range q.DenyPolicies {
		arns[i] = d.ManagedPolicyArn()
	}
	return arns
}
