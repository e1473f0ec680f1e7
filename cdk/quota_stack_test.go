package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cost"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/quota/denypolicy"
	"ccwb.dev/contract/schema"
	"ccwb.dev/contract/stacks"
	"ccwb.dev/lambda/quota/env"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// TestQuotaStack synthesizes the committed example (quotas on, three source Regions) and a
// deployment that joins existing invocation logging, and checks what the quota stacks take
// from the settings; then the IAM decisions of a block (quota_iam_test.go).
func TestQuotaStack(t *testing.T) {
	example, err := settings.Load("../settings/example.json")
	if err != nil {
		t.Fatal(err)
	}
	joined := *example
	joined.Name = "joined"
	joined.Bedrock.Regions = []string{"us-east-1"}
	joined.Quota.InvocationLogging = settings.InvocationLoggingJoin
	joined.Quota.ExistingLogGroups = map[string]string{"us-east-1": "/org/bedrock/invocations"}
	joined.Monitoring.Enabled, joined.Analytics.Enabled = false, false
	if err := joined.Validate(); err != nil {
		t.Fatal(err)
	}
	asm := cdktest.Synth(t, func(app awscdk.App) {
		if composeStacks(app, example).quota == nil {
			t.Error("the example enables quotas but no quota stack was composed")
		}
		composeStacks(app, &joined)
	})
	home := example.StackName(stacks.Quota)
	asm.RequireNoNagFindings(t, home, "ccwb-quota-us-east-2", "ccwb-quota-us-west-2", joined.StackName(stacks.Quota))
	t.Run("home", func(t *testing.T) { checkQuotaHome(t, asm, example) })
	t.Run("alarms priced", func(t *testing.T) {
		n := len(asm.Resources(t, home, "AWS::CloudWatch::Alarm"))
		for _, s := range []string{"ccwb-quota-us-east-2", "ccwb-quota-us-west-2"} {
			n += len(asm.Resources(t, s, "AWS::CloudWatch::Alarm"))
		}
		if n != cost.QuotaAlarms {
			t.Errorf("the quota stacks have %d alarms; the cost model prices cost.QuotaAlarms = %d", n, cost.QuotaAlarms)
		}
	})
	t.Run("other Regions", func(t *testing.T) { checkQuotaRegions(t, asm, example) })
	t.Run("join", func(t *testing.T) { checkQuotaJoin(t, asm, &joined) })
	t.Run("IAM: a block denies that user only", func(t *testing.T) { checkQuotaIAM(t, asm, example) })
	t.Run("Athena quota query", func(t *testing.T) {
		// The example's user policy (5,000,000 tokens a month) keyed as the analytics rows are.
		want := "('" + schema.StableID(example.Quota.Policies[1].User) + "', 5000000E0, CAST(NULL AS double))"
		for _, q := range asm.Resources(t, example.StackName(stacks.Analytics), "AWS::Athena::NamedQuery") {
			if p := props(q); p["Name"] == "quota_tracking" && !strings.Contains(cdktest.Render(p["QueryString"]), want) {
				t.Errorf("quota_tracking lacks %s", want)
			}
		}
	})
}

func byType(t *testing.T, asm *cdktest.Assembly, stack, typ string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range asm.Resources(t, stack, typ) {
		out = append(out, props(r))
	}
	return out
}

func checkQuotaHome(t *testing.T, asm *cdktest.Assembly, d *settings.Deployment) {
	stack := d.StackName(stacks.Quota)
	tpl := asm.TemplateJSON(t, stack)
	outs, _ := tpl["Outputs"].(map[string]any)
	for _, name := range []string{outputs.QuotaURL, outputs.QuotaTable, outputs.QuotaTopic, outputs.QuotaDashboard} {
		if _, ok := outs[name]; !ok {
			t.Errorf("output %s missing", name)
		}
	}
	tables := map[string]map[string]any{}
	for _, p := range byType(t, asm, stack, "AWS::DynamoDB::Table") {
		tables[p["TableName"].(string)] = p
	}
	for _, name := range []string{quota.TableName(d.Name), quota.LedgerTableName(d.Name)} {
		p := tables[name]
		if p == nil || cdktest.Render(p["TimeToLiveSpecification"]) != `{"AttributeName":"expires_at","Enabled":true}` ||
			!strings.Contains(cdktest.Render(p["PointInTimeRecoverySpecification"]), `"PointInTimeRecoveryEnabled":true`) || p["BillingMode"] != "PAY_PER_REQUEST" {
			t.Errorf("table %s: %v", name, cdktest.Render(p))
		}
	}
	if got := cdktest.Render(tables[quota.TableName(d.Name)]["StreamSpecification"]); !strings.Contains(got, "NEW_IMAGE") {
		t.Errorf("the quota table's stream: %s", got)
	}
	// The deny policies: as many as the settings need, attached to the auth stack's role,
	// created with the placeholder.
	deny := byType(t, asm, stack, "AWS::IAM::ManagedPolicy")
	if want := denypolicy.Policies(d.Quota.MaxBlockedUsers, "okta"); len(deny) != want {
		t.Errorf("%d deny policies, want %d", len(deny), want)
	}
	for _, p := range deny {
		if r := cdktest.Render(p["Roles"]); !strings.Contains(r, "Fn::ImportValue") || !strings.Contains(r, d.StackName(stacks.Auth)) {
			t.Errorf("a deny policy attaches to %s, want the auth stack's role", r)
		}
		if doc := cdktest.Render(p["PolicyDocument"]); !strings.Contains(doc, denypolicy.Placeholder) || !strings.Contains(doc, `"Effect":"Deny"`) {
			t.Errorf("a deny policy starts as %s, want the placeholder", doc)
		}
	}
	checkQuotaFunctions(t, asm, stack, d)
	api := byType(t, asm, stack, "AWS::ApiGatewayV2::Authorizer")
	if len(api) != 1 || api[0]["AuthorizerType"] != "JWT" || cdktest.Render(api[0]["JwtConfiguration"]) != `{"Audience":["`+d.IdentityProvider.ClientID+`"],"Issuer":"https://dev-12345678.okta.com"}` {
		t.Errorf("check API authorizer: %v", cdktest.Render(api))
	}
	routes := byType(t, asm, stack, "AWS::ApiGatewayV2::Route")
	if len(routes) != 1 || routes[0]["RouteKey"] != "POST "+quota.CheckPath || routes[0]["AuthorizationType"] != "JWT" {
		t.Errorf("check API routes: %v", cdktest.Render(routes))
	}
	seeds := byType(t, asm, stack, "Custom::QuotaPolicies")
	var seeded []quota.Policy
	if len(seeds) == 1 {
		_ = json.Unmarshal([]byte(seeds[0][env.SeedPolicies].(string)), &seeded)
	}
	if len(seeded) != 2 || seeded[0].Scope != quota.Group || seeded[0].Name != "contractors" || seeded[1].Scope != quota.User {
		t.Errorf("seeded policies: %+v", seeded)
	}
	subs := byType(t, asm, stack, "AWS::SNS::Subscription")
	if len(subs) != 1 || subs[0]["Endpoint"] != d.Quota.NotifyEmail {
		t.Errorf("topic subscriptions: %v", cdktest.Render(subs))
	}
}

// checkQuotaFunctions: the enforcer is the one writer (reserved concurrency 1) and runs on
// the stream's blocks, overrides and new markers and every minute; every function is Go on
// arm64 with the deployment's prices.
func checkQuotaFunctions(t *testing.T, asm *cdktest.Assembly, stack string, d *settings.Deployment) {
	reserved := 0
	for _, p := range byType(t, asm, stack, "AWS::Lambda::Function") {
		if p["Runtime"] != "provided.al2023" || cdktest.Render(p["Architectures"]) != `["arm64"]` {
			t.Errorf("a function runs %v on %v", p["Runtime"], p["Architectures"])
		}
		envs, _ := p["Environment"].(map[string]any)
		vars, _ := envs["Variables"].(map[string]any)
		if vars[env.Table] != nil && !strings.Contains(vars[env.Prices].(string), d.Bedrock.Prices[0].Match) {
			t.Errorf("a function's prices %v lack the settings'", vars[env.Prices])
		}
		if p["ReservedConcurrentExecutions"] == 1.0 {
			reserved++
		}
	}
	if reserved != 2 { // the enforcer and the sweep
		t.Errorf("%d functions with reserved concurrency 1, want the enforcer and the sweep", reserved)
	}
	esm := byType(t, asm, stack, "AWS::Lambda::EventSourceMapping")
	if len(esm) != 1 || !strings.Contains(cdktest.Render(esm[0]["FilterCriteria"]), `\"BLOCK\"`) || !strings.Contains(cdktest.Render(esm[0]["FilterCriteria"]), `N#`) {
		t.Errorf("enforcer's stream mapping: %v", cdktest.Render(esm))
	}
	var schedules []string
	for _, p := range byType(t, asm, stack, "AWS::Events::Rule") {
		schedules = append(schedules, p["ScheduleExpression"].(string))
	}
	slices.Sort(schedules)
	if !slices.Equal(schedules, []string{"rate(1 hour)", "rate(1 minute)"}) {
		t.Errorf("schedules %v, want the sweep's hour and the enforcer's minute", schedules)
	}
}

func checkQuotaRegions(t *testing.T, asm *cdktest.Assembly, d *settings.Deployment) {
	for _, r := range d.QuotaRegions() {
		stack := stacks.RegionalName(d.Name, stacks.Quota, r)
		if !slices.Contains(asm.Stacks(), stack) {
			t.Fatalf("no collector stack %s", stack)
		}
		logging := byType(t, asm, stack, "Custom::BedrockInvocationLogging")
		if len(logging) != 1 || logging[0]["Mode"] != quota.LoggingCreate || logging[0]["TextDelivery"] != "false" {
			t.Errorf("%s invocation logging: %v", stack, cdktest.Render(logging))
		}
		if n := len(byType(t, asm, stack, "AWS::DynamoDB::Table")); n != 0 {
			t.Errorf("%s creates %d tables; the collector writes to the home Region's", stack, n)
		}
		var granted strings.Builder
		for _, p := range byType(t, asm, stack, "AWS::IAM::Policy") {
			granted.WriteString(cdktest.Render(p["PolicyDocument"]))
		}
		if !strings.Contains(granted.String(), ":dynamodb:"+d.Region+":") || !strings.Contains(granted.String(), "table/"+quota.TableName(d.Name)) {
			t.Errorf("%s's functions are not granted the tables in %s", stack, d.Region)
		}
		for _, p := range byType(t, asm, stack, "AWS::Lambda::Function") {
			envs, _ := p["Environment"].(map[string]any)
			vars, _ := envs["Variables"].(map[string]any)
			if vars[env.RoleName] != nil || (vars[env.Table] != nil && vars[env.TableRegion] != d.Region) {
				t.Errorf("%s: a function's environment %v (the role's name comes from the table, the tables from %s)", stack, cdktest.Render(vars), d.Region)
			}
		}
	}
}

func checkQuotaJoin(t *testing.T, asm *cdktest.Assembly, d *settings.Deployment) {
	stack := d.StackName(stacks.Quota)
	logging := byType(t, asm, stack, "Custom::BedrockInvocationLogging")
	if len(logging) != 1 || logging[0]["Mode"] != quota.LoggingJoin || logging[0]["LogGroupName"] != "/org/bedrock/invocations" || logging[0]["RoleArn"] != "" {
		t.Errorf("joined logging: %v", cdktest.Render(logging))
	}
	if n := len(byType(t, asm, stack, "AWS::Logs::LogGroup")); n != 7 { // the six functions' and the access logs
		t.Errorf("%d log groups; joining creates no invocation log group", n)
	}
	subs := byType(t, asm, stack, "AWS::Logs::SubscriptionFilter")
	if len(subs) != 1 || subs[0]["LogGroupName"] != "/org/bedrock/invocations" {
		t.Errorf("subscription: %v", cdktest.Render(subs))
	}
}
