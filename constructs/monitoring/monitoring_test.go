package monitoring

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/contract/collector"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"go.yaml.in/yaml/v3"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

const issuer, audience = "https://dev-123.okta.com/oauth2/default", "0oa1clientid"

// variants are the stacks one synthesis builds: defaults (new VPC, HTTP) and everything set
// (existing VPC, HTTPS, domain with a Route 53 record, alarm email, other task bounds).
var variants = map[string]*MonitoringProps{
	"Defaults": {Issuer: issuer, Audience: audience, Namespace: "ClaudeCode/dev"},
	"Everything": {
		Issuer: issuer, Audience: audience, VPCID: "vpc-0123456789abcdef0", SubnetIDs: []string{"subnet-0aaa1111", "subnet-0bbb2222"},
		CertificateARN: "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
		DomainName:     "otel.example.com", HostedZoneID: "Z0123456789ABCDEFGHIJ",
		MinTasks: 3, MaxTasks: 9, LogRetentionDays: 90, AlarmEmail: "ops@example.com",
		Dimensions: []collector.GroupDimension{{Attribute: "department", Values: []string{"engineering", "sales"}}},
	},
}

func synth(t *testing.T) *cdktest.Assembly {
	return cdktest.Synth(t, func(app awscdk.App) {
		for name, p := range variants {
			stack := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			NewMonitoring(stack, "Monitoring", p)
		}
	})
}

func one(t *testing.T, asm *cdktest.Assembly, stack, typ string) map[string]any {
	t.Helper()
	rs := asm.Resources(t, stack, typ)
	if len(rs) != 1 {
		t.Fatalf("%s: %d %s, want 1", stack, len(rs), typ)
	}
	for _, r := range rs {
		return r["Properties"].(map[string]any)
	}
	return nil
}

func TestMonitoringStacks(t *testing.T) {
	asm := synth(t)
	asm.RequireNoNagFindings(t)
	cdktest.CfnLint(t, asm.Dir)

	for name, p := range variants {
		t.Run(name, func(t *testing.T) {
			checkService(t, asm, name, p.withDefaults())
			checkConfig(t, asm, name)
			checkLoadBalancer(t, asm, name, p)
			checkAlarmsAndDashboard(t, asm, name, p.withDefaults())
		})
	}
	// A new VPC: two AZs of public subnets, no NAT, flow logs.
	if n := len(asm.Resources(t, "Defaults", "AWS::EC2::Subnet")); n != 2 {
		t.Errorf("new VPC has %d subnets, want 2 public ones", n)
	}
	if n := len(asm.Resources(t, "Defaults", "AWS::EC2::NatGateway")); n != 0 {
		t.Errorf("%d NAT gateways, want none", n)
	}
	if fl := one(t, asm, "Defaults", "AWS::EC2::FlowLog"); fl["TrafficType"] != "ALL" {
		t.Errorf("flow log traffic %v", fl["TrafficType"])
	}
	// The new VPC's default security group is emptied (no rule in or out), so nothing
	// placed in it by mistake is reachable; an existing VPC is left as its owner set it.
	restrict := asm.Resources(t, "Defaults", "Custom::VpcRestrictDefaultSG")
	if len(restrict) != 1 {
		t.Errorf("%d Custom::VpcRestrictDefaultSG resources in the new VPC, want 1 (RestrictDefaultSecurityGroup)", len(restrict))
	}
	for _, r := range restrict {
		if got := cdktest.Render(r["Properties"].(map[string]any)["DefaultSecurityGroupId"]); !strings.Contains(got, "DefaultSecurityGroup") {
			t.Errorf("the restriction does not target the VPC's default security group: %s", got)
		}
	}
	if n := len(asm.Resources(t, "Everything", "Custom::VpcRestrictDefaultSG")); n != 0 {
		t.Errorf("an existing VPC's default security group is changed (%d resources)", n)
	}
	if n := len(asm.Resources(t, "Everything", "AWS::EC2::VPC")); n != 0 {
		t.Errorf("an existing VPC was given, yet %d VPCs are created", n)
	}
	svc := one(t, asm, "Everything", "AWS::ECS::Service")
	if got := cdktest.Render(svc["NetworkConfiguration"]); !strings.Contains(got, "subnet-0aaa1111") || !strings.Contains(got, "subnet-0bbb2222") {
		t.Errorf("service not in the given subnets: %s", got)
	}
}

func checkService(t *testing.T, asm *cdktest.Assembly, stack string, p MonitoringProps) {
	svc := one(t, asm, stack, "AWS::ECS::Service")
	if svc["DesiredCount"] != float64(p.MinTasks) || svc["LaunchType"] != "FARGATE" {
		t.Errorf("service desired %v launch %v, want %d on Fargate", svc["DesiredCount"], svc["LaunchType"], p.MinTasks)
	}
	dc := svc["DeploymentConfiguration"].(map[string]any)
	if cdktest.Render(dc["DeploymentCircuitBreaker"]) != `{"Enable":true,"Rollback":true}` || dc["MinimumHealthyPercent"] != 100.0 {
		t.Errorf("deployment configuration %s", cdktest.Render(dc))
	}
	// Dropping the (default) controller from the template would replace deployed services.
	if got := cdktest.Render(svc["DeploymentController"]); got != `{"Type":"ECS"}` {
		t.Errorf("deployment controller %s, want ECS written out", got)
	}
	if !strings.Contains(cdktest.Render(svc["NetworkConfiguration"]), `"AssignPublicIp":"ENABLED"`) {
		t.Errorf("tasks without public IP cannot pull the image without NAT: %s", cdktest.Render(svc["NetworkConfiguration"]))
	}
	target := one(t, asm, stack, "AWS::ApplicationAutoScaling::ScalableTarget")
	if target["MinCapacity"] != float64(p.MinTasks) || target["MaxCapacity"] != float64(p.MaxTasks) {
		t.Errorf("scaling %v..%v, want %d..%d", target["MinCapacity"], target["MaxCapacity"], p.MinTasks, p.MaxTasks)
	}
	policy := one(t, asm, stack, "AWS::ApplicationAutoScaling::ScalingPolicy")
	if got := cdktest.Render(policy["TargetTrackingScalingPolicyConfiguration"]); !strings.Contains(got, "ECSServiceAverageCPUUtilization") {
		t.Errorf("scaling is not on CPU: %s", got)
	}
	td := one(t, asm, stack, "AWS::ECS::TaskDefinition")
	c := td["ContainerDefinitions"].([]any)[0].(map[string]any)
	if c["Image"] != collector.Image || !strings.HasPrefix(collector.Image, "otel/opentelemetry-collector-contrib:0.") {
		t.Errorf("image %v, want the pinned %s", c["Image"], collector.Image)
	}
	if cdktest.Render(c["Command"]) != `["--config=env:`+ConfigEnv+`"]` {
		t.Errorf("command %s", cdktest.Render(c["Command"]))
	}
	if got := cdktest.Render(c["LogConfiguration"]); !strings.Contains(got, "awslogs") {
		t.Errorf("container logs %s", got)
	}
}

// checkConfig reads the collector config out of the task definition, as the task will.
func checkConfig(t *testing.T, asm *cdktest.Assembly, stack string) {
	td := one(t, asm, stack, "AWS::ECS::TaskDefinition")
	c := td["ContainerDefinitions"].([]any)[0].(map[string]any)
	var raw string
	for _, e := range c["Environment"].([]any) {
		if e := e.(map[string]any); e["Name"] == ConfigEnv {
			raw = cdktest.Render(e["Value"])
		}
	}
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(raw), &cfg); err != nil || raw == "" {
		t.Fatalf("task's %s is not the YAML config: %v\n%s", ConfigEnv, err, raw)
	}
	oidc := cfg["extensions"].(map[string]any)["oidc"].(map[string]any)
	if oidc["issuer_url"] != issuer || oidc["audience"] != audience {
		t.Errorf("authenticator %v", oidc)
	}
	emf := cfg["exporters"].(map[string]any)["awsemf"].(map[string]any)
	var logGroup string
	for id := range asm.Resources(t, stack, "AWS::Logs::LogGroup") {
		if strings.HasPrefix(id, "MonitoringMetricsLogGroup") {
			logGroup = id
		}
	}
	if emf["log_group_name"] != "REF("+logGroup+")" || emf["region"] != "eu-west-1" {
		t.Errorf("awsemf writes to %v in %v, want the metrics log group %s", emf["log_group_name"], emf["region"], logGroup)
	}
	// The task role may write to that log group and nothing else.
	var statements []string
	for _, pol := range asm.Resources(t, stack, "AWS::IAM::Policy") {
		statements = append(statements, cdktest.Render(pol["Properties"].(map[string]any)["PolicyDocument"]))
	}
	joined := strings.Join(statements, "\n")
	if !strings.Contains(joined, `"logs:PutLogEvents"],"Effect":"Allow","Resource":{"Fn::GetAtt":["`+logGroup+`","Arn"]}`) {
		t.Errorf("no task policy grants writing to the metrics log group:\n%s", joined)
	}
}

func checkLoadBalancer(t *testing.T, asm *cdktest.Assembly, stack string, p *MonitoringProps) {
	lb := one(t, asm, stack, "AWS::ElasticLoadBalancingV2::LoadBalancer")
	attrs := cdktest.Render(lb["LoadBalancerAttributes"])
	for _, want := range []string{`"Key":"idle_timeout.timeout_seconds","Value":"50"`, `"Key":"access_logs.s3.enabled","Value":"true"`, `"Key":"routing.http.drop_invalid_header_fields.enabled","Value":"true"`} {
		if !strings.Contains(attrs, want) {
			t.Errorf("load balancer lacks %s: %s", want, attrs)
		}
	}
	if lb["Scheme"] != "internet-facing" {
		t.Errorf("scheme %v", lb["Scheme"])
	}
	tg := one(t, asm, stack, "AWS::ElasticLoadBalancingV2::TargetGroup")
	if tg["Port"] != 4318.0 || tg["HealthCheckPort"] != "13133" || tg["TargetType"] != "ip" {
		t.Errorf("target group port %v health %v type %v", tg["Port"], tg["HealthCheckPort"], tg["TargetType"])
	}
	listeners := asm.Resources(t, stack, "AWS::ElasticLoadBalancingV2::Listener")
	var got []string
	for _, l := range listeners {
		props := l["Properties"].(map[string]any)
		got = append(got, fmt.Sprintf("%v:%v", props["Port"], props["DefaultActions"].([]any)[0].(map[string]any)["Type"]))
	}
	slices.Sort(got)
	want := []string{"80:forward"}
	if p.CertificateARN != "" {
		want = []string{"443:forward", "80:redirect"}
	}
	if !slices.Equal(got, want) {
		t.Errorf("listeners %v, want %v", got, want)
	}
	// Ingress: the load balancer from anywhere on its listener ports only; the tasks from the
	// load balancer only, on OTLP/HTTP and the health check (gRPC is not exposed).
	var ingress []string
	for _, sg := range asm.Resources(t, stack, "AWS::EC2::SecurityGroup") {
		rules, _ := sg["Properties"].(map[string]any)["SecurityGroupIngress"].([]any)
		for _, r := range rules {
			r := r.(map[string]any)
			ingress = append(ingress, fmt.Sprintf("%v:%v", r["CidrIp"], r["FromPort"]))
		}
	}
	for _, r := range asm.Resources(t, stack, "AWS::EC2::SecurityGroupIngress") {
		props := r["Properties"].(map[string]any)
		if props["CidrIp"] != nil {
			t.Errorf("task ingress from a CIDR: %v", props)
		}
		ingress = append(ingress, fmt.Sprintf("sg:%v", props["FromPort"]))
	}
	slices.Sort(ingress)
	wantIngress := []string{"0.0.0.0/0:80", "sg:13133", "sg:4318"}
	if p.CertificateARN != "" {
		wantIngress = []string{"0.0.0.0/0:443", "0.0.0.0/0:80", "sg:13133", "sg:4318"}
	}
	if !slices.Equal(ingress, wantIngress) {
		t.Errorf("ingress %v, want %v", ingress, wantIngress)
	}
	records := asm.Resources(t, stack, "AWS::Route53::RecordSet")
	if (p.HostedZoneID != "") != (len(records) == 1) {
		t.Errorf("%d alias records with hosted zone %q", len(records), p.HostedZoneID)
	}
}

func checkAlarmsAndDashboard(t *testing.T, asm *cdktest.Assembly, stack string, p MonitoringProps) {
	alarms := asm.Resources(t, stack, "AWS::CloudWatch::Alarm")
	var metrics []string
	for _, a := range alarms {
		props := a["Properties"].(map[string]any)
		metrics = append(metrics, fmt.Sprint(props["MetricName"]))
		if len(props["AlarmActions"].([]any)) != 1 {
			t.Errorf("alarm %v notifies nobody", props["MetricName"])
		}
		if props["MetricName"] == "HealthyHostCount" && props["Threshold"] != float64(p.MinTasks) {
			t.Errorf("healthy-task alarm threshold %v, want %d", props["Threshold"], p.MinTasks)
		}
	}
	slices.Sort(metrics)
	if want := []string{"HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "HealthyHostCount", "UnHealthyHostCount"}; !slices.Equal(metrics, want) {
		t.Errorf("alarms on %v, want %v", metrics, want)
	}
	checkAlarmKey(t, asm, stack)
	if subs := asm.Resources(t, stack, "AWS::SNS::Subscription"); (p.AlarmEmail != "") != (len(subs) == 1) {
		t.Errorf("%d subscriptions for alarm email %q", len(subs), p.AlarmEmail)
	}
	body := cdktest.Render(one(t, asm, stack, "AWS::CloudWatch::Dashboard")["DashboardBody"])
	searches := slices.Clone(Searches)
	for _, d := range p.Dimensions {
		searches = append(searches, GroupSearches(d.Attribute)...)
	}
	for _, s := range searches {
		want := strings.ReplaceAll(s.expression(p.Namespace), `"`, `\"`)
		if len(s.Dimensions) == 0 { // the metric itself: namespace and name, no dimension
			want = `["` + p.Namespace + `","` + s.Metric + `",{`
		}
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %s by %v: %s", s.Metric, s.Dimensions, want)
		}
	}
	// No metric search is by a per-person attribute or one the deployment did not declare.
	allowed := []string{"model", "type", "tool", "decision", "ModelId"}
	for _, d := range p.Dimensions {
		allowed = append(allowed, d.Attribute)
	}
	found := regexp.MustCompile(`SEARCH\('\{\\?"?[^,]+?\\?"?,([^}]*)\}`).FindAllStringSubmatch(body, -1)
	if len(found) < 5 {
		t.Errorf("%d metric searches found in the dashboard body; the pattern no longer reads it", len(found))
	}
	for _, m := range found {
		for _, dim := range strings.Split(m[1], ",") {
			if dim = strings.Trim(dim, `\"`); !slices.Contains(allowed, dim) {
				t.Errorf("a metric search is by %q: %s", dim, m[0])
			}
		}
	}
	for _, row := range PeopleQueries {
		for _, q := range row {
			if !strings.Contains(body, q.Title) {
				t.Errorf("dashboard lacks the Logs Insights widget %q", q.Title)
			}
		}
	}
	for _, want := range []string{"AWS/Bedrock", "InvocationThrottles", "InvocationServerErrors", `"variables":[{"pattern":"` + UserPattern + `","type":"pattern","inputType":"input"`} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

// The per-user and per-group Logs Insights widgets key people on the verified user.id:
// they count and rank by it, and show the client-sent email only as a label.
func TestPeopleQueriesKeyOnVerifiedID(t *testing.T) {
	n := 0
	for _, row := range PeopleQueries {
		for _, q := range row {
			n++
			if !strings.Contains(q.Query, "user.") {
				continue // not about people
			}
			_, by, _ := strings.Cut(q.Query, " by ")
			if strings.Contains(by, "user.email") {
				t.Errorf("%s groups by the client-sent email: %s", q.Title, q.Query)
			}
			rest := strings.NewReplacer("max(`user.email`) as email_label", "", "count_distinct(`user.email`) as emails", "").Replace(q.Query)
			if strings.Contains(rest, "user.email") {
				t.Errorf("%s uses user.email other than as a label or a count: %s", q.Title, q.Query)
			}
			if !strings.Contains(q.Query, "`user.id`") {
				t.Errorf("%s does not key on user.id: %s", q.Title, q.Query)
			}
		}
	}
	if n < 6 {
		t.Errorf("%d Logs Insights widgets, want the active users, top users, one user's usage and the group tables", n)
	}
}

// Every dashboard search must match a dimension set the collector's EMF declarations
// produce for that metric, or the widget stays empty.
func TestDashboardSearchesMatchEMFDimensions(t *testing.T) {
	for _, s := range Searches {
		sets := collector.Dimensions[s.Metric]
		if !slices.ContainsFunc(sets, func(set []string) bool { return slices.Equal(set, s.Dimensions) }) {
			t.Errorf("%s by %v: the collector declares no such dimension set (%v)", s.Metric, s.Dimensions, sets)
		}
	}
}

// A declared group dimension's widgets search the set the collector declares for it.
func TestGroupSearchesMatchDeclaredDimension(t *testing.T) {
	d := collector.GroupDimension{Attribute: "team.id", Values: []string{"platform"}}
	raw, err := collector.YAML(collector.Options{Issuer: issuer, Audience: audience, LogGroup: "g", Dimensions: []collector.GroupDimension{d}})
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Exporters struct {
			EMF struct {
				Declarations []struct {
					Selectors  []string   `yaml:"metric_name_selectors"`
					Dimensions [][]string `yaml:"dimensions"`
					Matchers   []any      `yaml:"label_matchers"`
				} `yaml:"metric_declarations"`
			} `yaml:"awsemf"`
		} `yaml:"exporters"`
	}
	if err := yaml.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatal(err)
	}
	for _, s := range GroupSearches(d.Attribute) {
		found := false
		for _, decl := range cfg.Exporters.EMF.Declarations {
			if len(decl.Matchers) > 0 && regexp.MustCompile(decl.Selectors[0]).MatchString(s.Metric) &&
				slices.ContainsFunc(decl.Dimensions, func(set []string) bool { return slices.Equal(set, s.Dimensions) }) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s by %v: no declaration of the collector config produces it", s.Metric, s.Dimensions)
		}
	}
}

func TestRetentionDaysRoundsUp(t *testing.T) {
	for days, want := range map[int]string{1: "ONE_DAY", 2: "THREE_DAYS", 30: "ONE_MONTH", 31: "TWO_MONTHS", 365: "ONE_YEAR", 5000: "INFINITE"} {
		if got := string(Retention(days)); !strings.EqualFold(strings.ReplaceAll(got, "_", ""), strings.ReplaceAll(want, "_", "")) && got != want {
			t.Errorf("Retention(%d) = %s, want %s", days, got, want)
		}
	}
}
