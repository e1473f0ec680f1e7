package preflight

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"ccwb.dev/cdk/internal/mototest"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/testenv"
	"ccwb.dev/lambda/quota/logging"
)

// account is one moto account as `ccwb deploy` finds it, reached with the real SDK clients.
type account struct {
	t   *testing.T
	url string
}

func (a account) clients(region string) RegionClients {
	return NewClients(mototest.Config(a.url, region))(region)
}

// logging sets the Region's model invocation logging to CloudWatch Logs: group, with role.
func (a account) logging(region, group, role string) {
	a.t.Helper()
	b := a.clients(region).Bedrock.(*bedrock.Client)
	_, err := b.PutModelInvocationLoggingConfiguration(context.Background(), &bedrock.PutModelInvocationLoggingConfigurationInput{
		LoggingConfig: &bedrocktypes.LoggingConfig{CloudWatchConfig: &bedrocktypes.CloudWatchConfig{LogGroupName: aws.String(group), RoleArn: aws.String(role)}},
	})
	if err != nil {
		a.t.Fatalf("put the logging configuration of %s: %v", region, err)
	}
}

func (a account) logGroup(region, name string) {
	a.t.Helper()
	logs := a.clients(region).Logs.(*cloudwatchlogs.Client)
	if _, err := logs.CreateLogGroup(context.Background(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		a.t.Fatalf("create log group %s in %s: %v", name, region, err)
	}
}

// filter subscribes the function (by name) to the log group.
func (a account) filter(region, group, name, function string) {
	a.t.Helper()
	logs := a.clients(region).Logs.(*cloudwatchlogs.Client)
	_, err := logs.PutSubscriptionFilter(context.Background(), &cloudwatchlogs.PutSubscriptionFilterInput{
		LogGroupName: aws.String(group), FilterName: aws.String(name), FilterPattern: aws.String(""),
		DestinationArn: aws.String("arn:aws:lambda:" + region + ":" + mototest.Account + ":function:" + function),
	})
	if err != nil {
		a.t.Fatalf("subscribe %s to %s in %s: %v", function, group, region, err)
	}
}

// stack creates a CloudFormation stack of the resources named (logical ID → type: a log
// group, the role every function runs with, functions) and returns their physical IDs.
func (a account) stack(region, name string, resources map[string]string) map[string]string {
	a.t.Helper()
	trust := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}}
	tpl := map[string]any{}
	for id, typ := range resources {
		props := map[string]any{}
		switch typ {
		case roleType:
			props["AssumeRolePolicyDocument"] = trust
		case functionType:
			props = map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap", "Code": map[string]any{"ZipFile": "x"}, "Role": map[string]any{"Fn::GetAtt": []string{"Role", "Arn"}}}
		}
		tpl[id] = map[string]any{"Type": typ, "Properties": props}
	}
	body, _ := json.Marshal(map[string]any{"Resources": tpl})
	cf := a.clients(region).CloudFormation.(*cloudformation.Client)
	ctx := context.Background()
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body))}); err != nil {
		a.t.Fatalf("create stack %s in %s: %v", name, region, err)
	}
	out, err := cf.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String(name)})
	if err != nil {
		a.t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range out.StackResourceSummaries {
		ids[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	return ids
}

// deployedCreate is a collector stack of mode "create" after its deploy: its log group, its
// delivery role, its consumer, and the Region's logging configuration its resource wrote.
func (a account) deployedCreate(region, stack string) {
	ids := a.stack(region, stack, map[string]string{"InvocationLogs": logGroupType, "Role": roleType, "Ingest": functionType})
	a.logging(region, ids["InvocationLogs"], "arn:aws:iam::"+mototest.Account+":role/"+ids["Role"])
}

// deployedJoin is a collector stack of mode "join" after its deploy: its consumer
// subscribed to the joined log group.
func (a account) deployedJoin(region, stack, group string) {
	ids := a.stack(region, stack, map[string]string{"Role": roleType, "Ingest": functionType})
	a.filter(region, group, stack+"-Subscription", ids["Ingest"])
}

// joinable is another tool's logging in the Region, to group, with n subscription filters
// of its own.
func (a account) joinable(region, group string, n int) {
	a.logGroup(region, group)
	a.logging(region, group, "arn:aws:iam::"+mototest.Account+":role/org-bedrock-logging")
	ids := a.stack(region, "siem-forwarders", map[string]string{"Role": roleType, "Forward1": functionType, "Forward2": functionType})
	for i := range n {
		a.filter(region, group, []string{"siem", "archive"}[i], ids[[]string{"Forward1", "Forward2"}[i]])
	}
}

// quotaDeployment meters us-east-1 (in acme-quota) and us-west-2 (acme-quota-us-west-2).
func quotaDeployment(mode string, groups map[string]string) *settings.Deployment {
	d := &settings.Deployment{Name: "acme", Region: "us-east-1", Bedrock: settings.Bedrock{Regions: []string{"us-east-1", "us-west-2"}},
		Quota: settings.Quota{Enabled: true, InvocationLogging: mode, ExistingLogGroups: groups}}
	d.ApplyDefaults()
	return d
}

// createRefusal is what the logging custom resource itself answers in region, for the
// message the preflight must repeat word for word.
func createRefusal(t *testing.T, a account, region string) string {
	r := &logging.Resource{Bedrock: a.clients(region).Bedrock.(*bedrock.Client)}
	_, _, err := r.Handle(context.Background(), cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: map[string]any{
		"Mode": logging.Create, "Region": region, "LogGroupName": "acme-quota-InvocationLogs", "RoleArn": "arn:aws:iam::" + mototest.Account + ":role/acme-quota-Role",
	}})
	if err == nil {
		t.Fatalf("the logging resource accepts %s's configuration", region)
	}
	return err.Error()
}

// TestInvocationLogging: each row is an account in a local moto (server mode: Bedrock,
// CloudWatch Logs, CloudFormation, Lambda) as `ccwb deploy` finds it, read with the real SDK
// clients; the check runs on a deployment metering us-east-1 and us-west-2.
func TestInvocationLogging(t *testing.T) {
	url := testenv.Moto(t)
	joined := map[string]string{"us-east-1": "/org/bedrock", "us-west-2": "/org/bedrock"}
	for _, tc := range []struct {
		name   string
		mode   string
		groups map[string]string
		setup  func(a account)
		// want are the refusals, by Region, each a part of its message ("=" + the
		// custom resource's own message); none: the deploy may go ahead.
		want map[string]string
	}{
		{name: "create, no configuration", mode: logging.Create, setup: func(account) {}},
		{name: "create, another tool's configuration", mode: logging.Create, setup: func(a account) {
			a.logGroup("us-west-2", "/org/bedrock")
			a.logging("us-west-2", "/org/bedrock", "arn:aws:iam::"+mototest.Account+":role/org-bedrock-logging")
		}, want: map[string]string{"us-west-2": "="}},
		{name: "create, redeploy over ccwb's own", mode: logging.Create, setup: func(a account) {
			a.deployedCreate("us-east-1", "acme-quota")
			a.deployedCreate("us-west-2", "acme-quota-us-west-2")
		}},
		{name: "create, another ccwb deployment's configuration", mode: logging.Create, setup: func(a account) {
			a.deployedCreate("us-east-1", "acme-quota")
			a.deployedCreate("us-west-2", "beta-quota")
		}, want: map[string]string{"us-west-2": "="}},
		{name: "create, problems in two Regions", mode: logging.Create, setup: func(a account) {
			a.joinable("us-east-1", "/org/bedrock", 0)
			a.logging("us-west-2", "/other/bedrock", "arn:aws:iam::"+mototest.Account+":role/other")
		}, want: map[string]string{"us-east-1": "=", "us-west-2": "="}},
		{name: "join, the right group with a free slot", mode: logging.Join, groups: joined, setup: func(a account) {
			a.joinable("us-east-1", "/org/bedrock", 1)
			a.joinable("us-west-2", "/org/bedrock", 0)
		}},
		{name: "join, another group", mode: logging.Join, groups: map[string]string{"us-east-1": "/org/bedrock", "us-west-2": "/org/other"}, setup: func(a account) {
			a.joinable("us-east-1", "/org/bedrock", 0)
			a.joinable("us-west-2", "/org/bedrock", 0)
		}, want: map[string]string{"us-west-2": `model invocation logging in us-west-2 writes to log group /org/bedrock, not /org/other; set quota.existing_log_groups["us-west-2"] to "/org/bedrock"`}},
		{name: "join, the group is gone", mode: logging.Join, groups: joined, setup: func(a account) {
			a.joinable("us-east-1", "/org/bedrock", 0)
			a.logging("us-west-2", "/org/bedrock", "arn:aws:iam::"+mototest.Account+":role/org-bedrock-logging")
		}, want: map[string]string{"us-west-2": `quota.existing_log_groups["us-west-2"]: log group /org/bedrock does not exist in us-west-2`}},
		{name: "join, two filters of another tool", mode: logging.Join, groups: joined, setup: func(a account) {
			a.joinable("us-east-1", "/org/bedrock", 2)
			a.joinable("us-west-2", "/org/bedrock", 1)
		}, want: map[string]string{"us-east-1": `quota.existing_log_groups["us-east-1"]: log group /org/bedrock in us-east-1 has 2 subscription filters (archive → arn:aws:lambda:us-east-1:123456789012:function:siem-forwarders-Forward2-`}},
		{name: "join, redeploy beside ccwb's own filter", mode: logging.Join, groups: joined, setup: func(a account) {
			a.joinable("us-east-1", "/org/bedrock", 1)
			a.deployedJoin("us-east-1", "acme-quota", "/org/bedrock")
			a.joinable("us-west-2", "/org/bedrock", 0)
		}},
		{name: "join, problems in two Regions", mode: logging.Join, groups: joined, setup: func(a account) {
			a.joinable("us-east-1", "/org/bedrock", 2)
		}, want: map[string]string{"us-east-1": "remove one (aws logs delete-subscription-filter --region us-east-1 --log-group-name /org/bedrock --filter-name <name>)", "us-west-2": `quota.invocation_logging is "join" but us-west-2 has no model invocation logging to CloudWatch Logs (none)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mototest.Reset(t, url)
			a := account{t: t, url: url}
			tc.setup(a)
			d := quotaDeployment(tc.mode, tc.groups)
			r := InvocationLogging(context.Background(), a.clients, d, d.QuotaCollectors())
			if len(r.Unchecked) > 0 || len(r.Regions) != 2 {
				t.Fatalf("checked %v, unchecked %v", r.Regions, r.Unchecked)
			}
			if len(r.Refused) != len(tc.want) || (r.Err() == nil) != (len(tc.want) == 0) {
				t.Fatalf("refused %v, want %d refusals (%v)", r.Refused, len(tc.want), tc.want)
			}
			for region, want := range tc.want {
				got := refusalOf(t, r, region)
				if want == "=" {
					want = createRefusal(t, a, region)
					if got != want {
						t.Errorf("%s: %q, want the custom resource's own message %q", region, got, want)
					}
				}
				if !strings.Contains(got, want) || !strings.Contains(got, region) || !strings.Contains(got, "quota.") {
					t.Errorf("%s: %q, want it to contain %q and name the Region and the setting", region, got, want)
				}
				if !strings.Contains(r.Err().Error(), got) {
					t.Errorf("Err() lacks the refusal of %s: %v", region, r.Err())
				}
			}
		})
	}
}

// refusalOf is the one refusal that names region.
func refusalOf(t *testing.T, r LoggingReport, region string) string {
	t.Helper()
	var found []string
	for _, err := range r.Refused {
		if strings.Contains(err.Error(), region) {
			found = append(found, err.Error())
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d refusals name %s: %v", len(found), region, r.Refused)
	}
	return found[0]
}
