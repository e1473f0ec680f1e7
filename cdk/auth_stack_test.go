package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/auth"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// matrixCase is one deployment of the provider × federation matrix.
type matrixCase struct {
	settings *settings.Deployment
	issuer   string
}

// providerDomains is one realistic domain per provider type, as an administrator types it.
var providerDomains = map[provider.Type]string{
	provider.Okta:    "dev-123456.okta.com/oauth2/default",
	provider.Azure:   "8a7b6c5d-1234-4abc-9def-0123456789ab",
	provider.Auth0:   "my-tenant.us.auth0.com",
	provider.Cognito: "us-west-2_AbCdEf123",
	provider.Google:  "accounts.google.com",
	provider.Generic: "https://sso.example.com/realms/dev",
}

func matrix(t *testing.T) []matrixCase {
	var cases []matrixCase
	for i, typ := range provider.Types {
		for _, fed := range []string{federation.Direct, federation.Cognito} {
			d := &settings.Deployment{
				Name:             fmt.Sprintf("m-%s-%s", typ, fed),
				Region:           "us-east-1",
				IdentityProvider: settings.IdentityProvider{Type: string(typ), Domain: providerDomains[typ], ClientID: fmt.Sprintf("client-%s", typ)},
				Federation:       settings.Federation{Type: fed, SessionDuration: []string{"1h", "4h", "8h"}[i%3]},
				Bedrock:          settings.Bedrock{Regions: []string{"us-east-1", "us-east-2", "us-west-2"}, CrossRegionProfile: "us"},
			}
			switch i % 3 { // vary the regions and profiles too
			case 1:
				d.Region, d.Bedrock = "eu-west-1", settings.Bedrock{Regions: []string{"eu-west-1", "eu-central-1"}, CrossRegionProfile: "eu"}
			case 2:
				d.Bedrock = settings.Bedrock{Regions: []string{"us-east-1", "us-west-2"}, CrossRegionProfile: "global"}
			}
			if fed == federation.Direct && typ == provider.Okta {
				d.Federation.SessionDuration = "12h"
			}
			d.ApplyDefaults()
			if err := d.Validate(); err != nil {
				t.Fatalf("matrix settings %s: %v", d.Name, err)
			}
			_, issuer, _ := d.Provider()
			cases = append(cases, matrixCase{settings: d, issuer: issuer})
		}
	}
	return cases
}

// TestStacks synthesizes, in one App: every provider × federation type, two deployments
// side by side (the second reusing the first's OIDC provider), and the committed example.
// Then: exact trust and permission policies, outputs (the example's also against the committed
// outputs fixture), zero cdk-nag findings, cfn-lint.
func TestStacks(t *testing.T) {
	cases := matrix(t)
	teamA := *cases[0].settings
	teamA.Name = "team-a"
	teamB := teamA
	teamB.Name = "team-b"
	teamB.Federation.ExistingOIDCProviderARN = "arn:aws:iam::123456789012:oidc-provider/" + provider.HostPath(cases[0].issuer)
	// Side by side with every stack: monitoring and analytics too.
	for _, d := range []*settings.Deployment{&teamA, &teamB} {
		d.Monitoring, d.Analytics = settings.Monitoring{Enabled: true, AllowPlainHTTP: true}, settings.Analytics{Enabled: true}
		d.ApplyDefaults()
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	cases = append(cases, matrixCase{&teamA, cases[0].issuer}, matrixCase{&teamB, cases[0].issuer})

	example, err := settings.Load("../settings/example.json")
	if err != nil {
		t.Fatalf("the committed example must load: %v", err)
	}

	asm := cdktest.Synth(t, func(app awscdk.App) {
		for _, c := range cases {
			composeStacks(app, c.settings)
		}
		composeStacks(app, example)
	})

	for _, c := range cases {
		t.Run(c.settings.Name, func(t *testing.T) { checkAuthStack(t, asm, c) })
	}
	t.Run("example", func(t *testing.T) {
		checkAuthStack(t, asm, matrixCase{example, "https://dev-12345678.okta.com"})
	})
	t.Run("example outputs fixture", func(t *testing.T) { checkOutputsFixture(t, asm, example) })
	t.Run("no colliding physical names", func(t *testing.T) {
		seen := map[string]string{} // type.key=value → stack
		for _, stack := range asm.Stacks() {
			res, _ := asm.TemplateJSON(t, stack)["Resources"].(map[string]any)
			for id, r := range res {
				for _, name := range physicalNames(r.(map[string]any)) {
					if other, ok := seen[name]; ok && other != stack {
						t.Errorf("%s/%s and %s use the same physical name %s: two deployments would collide", stack, id, other, name)
					}
					seen[name] = stack
				}
			}
		}
	})
	t.Run("side by side", func(t *testing.T) {
		a, b := asm.Resources(t, "team-a-auth", "AWS::IAM::OIDCProvider"), asm.Resources(t, "team-b-auth", "AWS::IAM::OIDCProvider")
		if len(a) != 1 || len(b) != 0 {
			t.Errorf("team-a creates %d OIDC providers (want 1), team-b %d (want 0: it reuses the existing one)", len(a), len(b))
		}
	})
	t.Run("cdk-nag", func(t *testing.T) { asm.RequireNoNagFindings(t) })
	t.Run("cfn-lint", func(t *testing.T) { cdktest.CfnLint(t, asm.Dir) })
	t.Run("feature flags", func(t *testing.T) { checkFeatureFlags(t, asm.Dir) })
}

// physicalNameKeys are the properties that name a resource account- or region-wide.
var physicalNameKeys = []string{"RoleName", "ManagedPolicyName", "InstanceProfileName", "BucketName", "FunctionName",
	"LogGroupName", "TableName", "DeliveryStreamName", "TopicName", "QueueName", "ClusterName", "ServiceName",
	"DashboardName", "AlarmName", "IdentityPoolName", "OidcProviderName", "Family", "RepositoryName", "SecretName"}

// namedByName are the types whose "Name" property is such a name.
var namedByName = []string{"AWS::Athena::WorkGroup", "AWS::ElasticLoadBalancingV2::LoadBalancer",
	"AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::Glue::Crawler", "AWS::Events::Rule", "AWS::EC2::SecurityGroup"}

// physicalNames returns "type.key=value" for each literal physical name of a resource.
// Values built from references are left out: they differ per stack by construction.
func physicalNames(r map[string]any) []string {
	typ, _ := r["Type"].(string)
	p := props(r)
	var out []string
	add := func(key string, v any) {
		if v == nil {
			return
		}
		value := cdktest.Render(v)
		if strings.Contains(value, "REF(") || strings.Contains(value, "GETATT(") {
			return
		}
		out = append(out, typ+"."+key+"="+value)
	}
	for _, key := range physicalNameKeys {
		add(key, p[key])
	}
	if slices.Contains(namedByName, typ) {
		add("Name", p["Name"])
	}
	if typ == "AWS::Glue::Database" {
		in, _ := p["DatabaseInput"].(map[string]any)
		add("DatabaseInput.Name", in["Name"])
	}
	return out
}

func checkAuthStack(t *testing.T, asm *cdktest.Assembly, c matrixCase) {
	d := c.settings
	stack := d.StackName(stacks.Auth)
	hostPath := provider.HostPath(c.issuer)
	cognito := d.Federation.Type == federation.Cognito
	seconds := int(d.SessionDuration().Seconds())

	// Resource inventory: nothing beyond federation and the role.
	var types []string
	res, _ := asm.TemplateJSON(t, stack)["Resources"].(map[string]any)
	for _, r := range res {
		if typ := r.(map[string]any)["Type"].(string); typ != "AWS::CDK::Metadata" { // only the CLI adds it
			types = append(types, typ)
		}
	}
	want := []string{"AWS::IAM::Policy", "AWS::IAM::Role"}
	if d.Federation.ExistingOIDCProviderARN == "" {
		want = append(want, "AWS::IAM::OIDCProvider")
	}
	if cognito {
		want = append(want, "AWS::Cognito::IdentityPool", "AWS::Cognito::IdentityPoolPrincipalTag", "AWS::Cognito::IdentityPoolRoleAttachment")
	}
	if got := sorted(types); !slices.Equal(got, sorted(want)) {
		t.Errorf("resources = %v, want %v", got, sorted(want))
	}

	// OIDC provider: the issuer, the client ID, no hand-maintained thumbprints.
	providerRef := any(d.Federation.ExistingOIDCProviderARN)
	if d.Federation.ExistingOIDCProviderARN == "" {
		id, p, err := only(asm.Resources(t, stack, "AWS::IAM::OIDCProvider"))
		if err != nil {
			t.Fatalf("OIDC provider: %v", err)
		}
		providerRef = map[string]any{"Ref": id}
		wantProps := map[string]any{"Url": c.issuer, "ClientIdList": []any{d.IdentityProvider.ClientID}}
		if got := props(p); !jsonEqual(without(got, "Tags"), wantProps) {
			t.Errorf("OIDC provider = %s, want %s", js(got), js(wantProps))
		}
	}

	// Trust policy.
	roleID, role, err := only(asm.Resources(t, stack, "AWS::IAM::Role"))
	if err != nil {
		t.Fatalf("role: %v", err)
	}
	aud := map[string]any{hostPath + ":aud": d.IdentityProvider.ClientID}
	subject := "${" + hostPath + ":sub}"
	assume := map[string]any{"StringEquals": map[string]any{hostPath + ":aud": d.IdentityProvider.ClientID, "sts:RoleSessionName": subject}}
	tagSession := map[string]any{"StringEquals": aud}
	if d.Federation.Attribution == federation.AttributionTags {
		assume = map[string]any{
			"StringEquals": map[string]any{hostPath + ":aud": d.IdentityProvider.ClientID, "aws:RequestTag/sub": subject},
			"StringLike":   map[string]any{"aws:RequestTag/email": "*"},
		}
		tagSession = map[string]any{"StringEquals": map[string]any{hostPath + ":aud": d.IdentityProvider.ClientID, "aws:RequestTag/sub": subject}}
	}
	wantTrust := map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": map[string]any{"Federated": providerRef}, "Condition": assume},
		map[string]any{"Effect": "Allow", "Action": "sts:TagSession", "Principal": map[string]any{"Federated": providerRef}, "Condition": tagSession},
	}}
	var poolRef any
	if cognito {
		poolID, pool, err := only(asm.Resources(t, stack, "AWS::Cognito::IdentityPool"))
		if err != nil {
			t.Fatalf("identity pool: %v", err)
		}
		poolRef = map[string]any{"Ref": poolID}
		wantPool := map[string]any{"AllowUnauthenticatedIdentities": false, "AllowClassicFlow": true, "OpenIdConnectProviderARNs": []any{providerRef}}
		if got := props(pool); !jsonEqual(without(got, "IdentityPoolTags"), wantPool) {
			t.Errorf("identity pool = %s, want %s", js(got), js(wantPool))
		}
		_, tags, _ := only(asm.Resources(t, stack, "AWS::Cognito::IdentityPoolPrincipalTag"))
		wantTags := map[string]any{"IdentityPoolId": poolRef, "IdentityProviderName": hostPath, "PrincipalTags": map[string]any{"email": "email", "sub": "sub"}, "UseDefaults": false}
		if got := props(tags); !jsonEqual(got, wantTags) {
			t.Errorf("principal tags = %s, want %s", js(got), js(wantTags))
		}
		_, att, _ := only(asm.Resources(t, stack, "AWS::Cognito::IdentityPoolRoleAttachment"))
		wantAtt := map[string]any{"IdentityPoolId": poolRef, "Roles": map[string]any{"authenticated": map[string]any{"Fn::GetAtt": []any{roleID, "Arn"}}}}
		if got := props(att); !jsonEqual(got, wantAtt) {
			t.Errorf("role attachment = %s, want %s", js(got), js(wantAtt))
		}
		wantTrust["Statement"] = []any{map[string]any{
			"Effect":    "Allow",
			"Action":    []any{"sts:AssumeRoleWithWebIdentity", "sts:TagSession"},
			"Principal": map[string]any{"Federated": "cognito-identity.amazonaws.com"},
			"Condition": map[string]any{
				"StringEquals":           map[string]any{"cognito-identity.amazonaws.com:aud": poolRef},
				"ForAnyValue:StringLike": map[string]any{"cognito-identity.amazonaws.com:amr": "authenticated"},
			},
		}}
	}
	if got := props(role)["AssumeRolePolicyDocument"]; !jsonEqual(got, wantTrust) {
		t.Errorf("trust policy = %s\nwant %s", js(got), js(wantTrust))
	}
	if got := props(role)["MaxSessionDuration"]; !jsonEqual(got, seconds) {
		t.Errorf("MaxSessionDuration = %v, want %d", got, seconds)
	}

	checkBedrockPolicy(t, asm, stack, roleID, d)
	checkTrustDecisions(t, props(role)["AssumeRolePolicyDocument"], d, hostPath, providerRef, poolRef)

	// Outputs, by their stable names.
	wantOut := map[string]string{
		outputs.IssuerURL:              c.issuer,
		outputs.ProviderType:           d.IdentityProvider.Type,
		outputs.ClientID:               d.IdentityProvider.ClientID,
		outputs.FederationType:         d.Federation.Type,
		outputs.RoleARN:                "GETATT(" + roleID + ".Arn)",
		outputs.OIDCProviderARN:        cdktest.Render(providerRef),
		outputs.Region:                 d.Region,
		outputs.SessionDurationSeconds: strconv.Itoa(seconds),
	}
	if cognito {
		wantOut[outputs.IdentityPoolID] = cdktest.Render(poolRef)
	}
	gotOut := map[string]string{}
	outs, _ := asm.TemplateJSON(t, stack)["Outputs"].(map[string]any)
	for k, v := range outs {
		if strings.HasPrefix(k, "ExportsOutput") { // CDK's export of a reference from another stack (the quota stack's role)
			continue
		}
		gotOut[k] = cdktest.Render(v.(map[string]any)["Value"])
	}
	if !reflect.DeepEqual(gotOut, wantOut) {
		t.Errorf("outputs = %v\nwant %v", gotOut, wantOut)
	}
	for k := range gotOut {
		if !slices.Contains(outputs.Auth, k) {
			t.Errorf("output %s is not declared in package outputs", k)
		}
	}
}

var bedrockARN = regexp.MustCompile(`^arn:aws:bedrock:[a-z0-9*-]*:(ACCOUNT)?:(foundation-model|inference-profile)/[a-z*-]+\.[A-Za-z0-9.:*?_-]+$`)

// checkBedrockPolicy: exactly the seven actions, plain Allow statements on Bedrock model
// and inference-profile ARNs, "*" only for the list actions and only under
// aws:RequestedRegion = the configured regions. What the statements allow and refuse is
// decided by the IAM evaluator (checkBedrockDecisions), not read from the JSON here.
func checkBedrockPolicy(t *testing.T, asm *cdktest.Assembly, stack, roleID string, d *settings.Deployment) {
	b := d.Bedrock
	_, pol, err := only(asm.Resources(t, stack, "AWS::IAM::Policy"))
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	if got := props(pol)["Roles"]; !jsonEqual(got, []any{map[string]any{"Ref": roleID}}) {
		t.Errorf("policy attached to %s, want the role only", js(got))
	}
	doc, _ := props(pol)["PolicyDocument"].(map[string]any)
	statements, _ := doc["Statement"].([]any)
	var actions []string
	for _, s := range statements {
		st := s.(map[string]any)
		acts := list(st["Action"])
		actions = append(actions, acts...)
		if st["Effect"] != "Allow" || st["NotAction"] != nil || st["NotResource"] != nil {
			t.Errorf("statement %v: only plain Allow statements expected", st["Sid"])
		}
		for _, r := range list(st["Resource"]) {
			if r == "*" {
				wantCond := map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": b.Regions}}
				if !jsonEqual(st["Condition"], wantCond) {
					t.Errorf("statement %v allows * with condition %s, want %s", st["Sid"], js(st["Condition"]), js(wantCond))
				}
				for _, a := range acts {
					if !slices.Contains([]string{"bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles", "bedrock:GetFoundationModelAvailability"}, a) {
						t.Errorf("action %s is allowed on *", a)
					}
				}
			} else if !bedrockARN.MatchString(r) {
				t.Errorf("resource %s is not a Bedrock model or inference-profile ARN of a provider's models", r)
			}
		}
	}
	if got, want := sorted(actions), sorted(auth.Actions); !slices.Equal(uniq(got), want) {
		t.Errorf("actions = %v, want exactly %v", got, want)
	}
	checkBedrockDecisions(t, asm, stack, d)
}

func uniq(s []string) []string { return slices.Compact(s) }

func jsonEqual(a, b any) bool { return js(a) == js(b) }

func js(v any) string {
	out, _ := json.Marshal(v)
	return string(out)
}

func without(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// TestBadSettingsStopSynth: the app refuses invalid settings with every problem named.
func TestBadSettingsStopSynth(t *testing.T) {
	dir := t.TempDir()
	bad := dir + "/bad.json"
	body := `{"name":"x","region":"us-east-9","identity_provider":{"type":"ping","domain":"dev-1.okta.com"},"federation":{"type":"cognito","session_duration":"10h"}}`
	if err := writeFile(bad, body); err != nil {
		t.Fatal(err)
	}
	var loadErr error
	cdktest.Check(t, func() {
		app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{settings.ContextKey: bad}, Outdir: &dir})
		_, loadErr = loadSettings(app)
	})
	want := []string{
		bad + ": invalid deployment settings:",
		`  region: "us-east-9" is not a region where Amazon Bedrock is available`,
		`  identity_provider.type: unknown provider type "ping"`,
		`  identity_provider.client_id: missing`,
		`  federation.session_duration: 10h is out of range for cognito federation; use 1h to 8h`,
	}
	if loadErr == nil {
		t.Fatal("invalid settings were accepted")
	}
	lines := strings.Split(loadErr.Error(), "\n")
	for i, w := range want {
		if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q\nfull error:\n%s", i, at(lines, i), w, loadErr)
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}
