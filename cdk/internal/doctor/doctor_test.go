package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"ccwb.dev/cdk/internal/preflight"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/client/doctor/doctortest"
	report "ccwb.dev/contract/doctor"
)

// fakeCF answers DescribeStacks from a map: a stack not in it does not exist.
type fakeCF map[string]cftypes.Stack

func (f fakeCF) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	s, ok := f[*in.StackName]
	if !ok {
		return nil, &smithy.GenericAPIError{Code: "ValidationError", Message: "Stack with id " + *in.StackName + " does not exist"}
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []cftypes.Stack{s}}, nil
}

type fakeIAM []string // the provider's client IDs

func (f fakeIAM) GetOpenIDConnectProvider(context.Context, *iam.GetOpenIDConnectProviderInput, ...func(*iam.Options)) (*iam.GetOpenIDConnectProviderOutput, error) {
	return &iam.GetOpenIDConnectProviderOutput{ClientIDList: f}, nil
}

type fakeBedrock struct {
	out bedrock.GetFoundationModelAvailabilityOutput
}

func (f fakeBedrock) GetFoundationModelAvailability(context.Context, *bedrock.GetFoundationModelAvailabilityInput, ...func(*bedrock.Options)) (*bedrock.GetFoundationModelAvailabilityOutput, error) {
	return &f.out, nil
}

// fakeLogging is one Region's model invocation logging and its collector stack's resources.
type fakeLogging struct {
	config *bedrocktypes.LoggingConfig
	err    error // GetModelInvocationLoggingConfiguration's
	stack  []cftypes.StackResourceSummary
}

func (f fakeLogging) GetModelInvocationLoggingConfiguration(context.Context, *bedrock.GetModelInvocationLoggingConfigurationInput, ...func(*bedrock.Options)) (*bedrock.GetModelInvocationLoggingConfigurationOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &bedrock.GetModelInvocationLoggingConfigurationOutput{LoggingConfig: f.config}, nil
}

func (f fakeLogging) DescribeSubscriptionFilters(context.Context, *cloudwatchlogs.DescribeSubscriptionFiltersInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeSubscriptionFiltersOutput, error) {
	return &cloudwatchlogs.DescribeSubscriptionFiltersOutput{}, nil
}

func (f fakeLogging) ListStackResources(context.Context, *cloudformation.ListStackResourcesInput, ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error) {
	return &cloudformation.ListStackResourcesOutput{StackResourceSummaries: f.stack}, nil
}

// ccwbLogging is the Region's logging as the collector stack's resource wrote it.
func ccwbLogging(stack string) fakeLogging {
	group, role := stack+"-InvocationLogs-1A2B", stack+"-DeliveryRole-3C4D"
	res := func(typ, id string) cftypes.StackResourceSummary {
		return cftypes.StackResourceSummary{ResourceType: aws.String(typ), PhysicalResourceId: aws.String(id), ResourceStatus: cftypes.ResourceStatusCreateComplete}
	}
	return fakeLogging{
		config: &bedrocktypes.LoggingConfig{CloudWatchConfig: &bedrocktypes.CloudWatchConfig{LogGroupName: aws.String(group), RoleArn: aws.String("arn:aws:iam::123456789012:role/" + role)}},
		stack:  []cftypes.StackResourceSummary{res("AWS::Logs::LogGroup", group), res("AWS::IAM::Role", role)},
	}
}

// world is a deployment whose every link works; each row breaks one.
type world struct {
	issuerOverride string // the issuer the discovery document names
	noDevice       bool
	clientIDs      []string
	monitoring     cftypes.StackStatus
	outputsDiffer  bool
	avail          map[string]bedrock.GetFoundationModelAvailabilityOutput // by region; default available
	collectorCode  int
	collectorCert  *tls.Certificate
	noSettings     bool
	logging        map[string]fakeLogging // by Region; default ccwb's own
}

var available = bedrock.GetFoundationModelAvailabilityOutput{
	AuthorizationStatus: bedrocktypes.AuthorizationStatusAuthorized, EntitlementAvailability: bedrocktypes.EntitlementAvailabilityAvailable,
	RegionAvailability: bedrocktypes.RegionAvailabilityAvailable, AgreementAvailability: &bedrocktypes.AgreementAvailability{Status: bedrocktypes.AgreementStatusAvailable},
}

func (w *world) run(t *testing.T) map[string]report.Result {
	var issuer string
	idp := httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		doc := map[string]string{"issuer": issuer, "jwks_uri": issuer + "/keys", "device_authorization_endpoint": issuer + "/device"}
		if w.issuerOverride != "" {
			doc["issuer"] = w.issuerOverride
		}
		if w.noDevice {
			delete(doc, "device_authorization_endpoint")
		}
		_ = json.NewEncoder(rw).Encode(doc)
	}))
	defer idp.Close()
	issuer = idp.URL
	collector := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) { rw.WriteHeader(w.collectorCode) }))
	roots := x509.NewCertPool()
	if w.collectorCert != nil {
		collector.TLS = &tls.Config{Certificates: []tls.Certificate{*w.collectorCert}}
		roots.AddCert(w.collectorCert.Leaf)
	}
	collector.StartTLS()
	defer collector.Close()
	roots.AddCert(collector.Certificate())
	roots.AddCert(idp.Certificate())

	d := &settings.Deployment{Name: "ccwb", Region: "us-east-1",
		IdentityProvider: settings.IdentityProvider{Type: "generic", Domain: issuer, ClientID: "ccwb-client"},
		Bedrock:          settings.Bedrock{Regions: []string{"us-east-1", "us-west-2"}, CrossRegionProfile: "us", Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		Monitoring:       settings.Monitoring{Enabled: true, CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/x", DomainName: "otel.example.com"},
		Quota:            settings.Quota{Enabled: true}}
	d.ApplyDefaults()
	auth := map[string]string{"OidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/" + strings.TrimPrefix(issuer, "https://"), "IssuerUrl": issuer}
	mon := map[string]string{"OtelCollectorEndpoint": collector.URL}
	cf := fakeCF{"ccwb-auth": stack("ccwb-auth", cftypes.StackStatusCreateComplete, auth), "ccwb-monitoring": stack("ccwb-monitoring", w.monitoring, mon)}
	file := stackoutputs.Outputs{"ccwb-auth": auth, "ccwb-monitoring": mon}
	if w.outputsDiffer {
		file = stackoutputs.Outputs{"ccwb-auth": {"IssuerUrl": "https://old.example.com"}, "ccwb-monitoring": mon}
	}
	logging := map[string]fakeLogging{}
	for _, c := range d.QuotaCollectors() {
		cf[c.Stack], file[c.Stack], logging[c.Region] = stack(c.Stack, cftypes.StackStatusCreateComplete, nil), map[string]string{}, ccwbLogging(c.Stack)
		if l, ok := w.logging[c.Region]; ok {
			logging[c.Region] = l
		}
	}
	e := Env{Settings: d, OutputsPath: "settings/deployment.outputs.json", Outputs: file, CloudFormation: cf, IAM: fakeIAM(w.clientIDs),
		Bedrock: func(region string) Bedrock {
			if out, ok := w.avail[region]; ok {
				return fakeBedrock{out}
			}
			return fakeBedrock{available}
		},
		Logging: func(region string) preflight.RegionClients {
			l := logging[region]
			return preflight.RegionClients{Bedrock: l, Logs: l, CloudFormation: l}
		},
		HTTP: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}, Roots: roots, Now: time.Now}
	if w.noSettings {
		e.Settings, e.SettingsErr = nil, errors.New("invalid deployment settings:\n  region: missing")
	}
	out := map[string]report.Result{}
	for _, r := range Run(context.Background(), e) {
		out[r.Check] = r
	}
	return out
}

func stack(name string, status cftypes.StackStatus, outs map[string]string) cftypes.Stack {
	s := cftypes.Stack{StackName: aws.String(name), StackStatus: status, CreationTime: aws.Time(time.Now())}
	for k, v := range outs {
		s.Outputs = append(s.Outputs, cftypes.Output{OutputKey: aws.String(k), OutputValue: aws.String(v)})
	}
	return s
}

// Each row breaks one link; exactly that check reports it, and its line names the fix.
func TestEachCheckFailsForItsOwnCause(t *testing.T) {
	notAuthorized := available
	notAuthorized.AuthorizationStatus = bedrocktypes.AuthorizationStatusNotAuthorized
	pending := available
	pending.AgreementAvailability = &bedrocktypes.AgreementAvailability{Status: bedrocktypes.AgreementStatusPending}
	for _, tc := range []struct {
		name   string
		breaks func(t *testing.T, w *world)
		check  string
		want   report.Status
		fix    string
	}{
		{"healthy", func(*testing.T, *world) {}, "", report.Pass, ""},
		{"settings invalid", func(_ *testing.T, w *world) { w.noSettings = true }, "settings", report.Fail, "fix the fields"},
		{"a stack rolled back", func(_ *testing.T, w *world) { w.monitoring = cftypes.StackStatusUpdateRollbackComplete }, "stacks", report.Fail, "stack events"},
		{"a stack updating", func(_ *testing.T, w *world) { w.monitoring = cftypes.StackStatusUpdateInProgress }, "stacks", report.Warn, "wait"},
		{"outputs file out of date", func(_ *testing.T, w *world) { w.outputsDiffer = true }, "outputs file", report.Warn, "ccwb deploy"},
		{"issuer differs", func(_ *testing.T, w *world) { w.issuerOverride = "https://other.example.com" }, "identity provider", report.Fail, "identity_provider.domain"},
		{"no device grant", func(_ *testing.T, w *world) { w.noDevice = true }, "identity provider", report.Warn, "device authorization grant"},
		{"provider lacks the client", func(_ *testing.T, w *world) { w.clientIDs = []string{"another-app"} }, "oidc provider client ids", report.Fail, "add-client-id-to-open-id-connect-provider"},
		{"model not authorized in a Region", func(_ *testing.T, w *world) {
			w.avail = map[string]bedrock.GetFoundationModelAvailabilityOutput{"us-west-2": notAuthorized}
		}, "bedrock model access", report.Fail, "model catalog"},
		{"agreement pending", func(_ *testing.T, w *world) {
			w.avail = map[string]bedrock.GetFoundationModelAvailabilityOutput{"us-east-1": pending}
		}, "bedrock model access", report.Warn, "wait"},
		{"collector takes data without a token", func(_ *testing.T, w *world) { w.collectorCode = http.StatusOK }, "collector", report.Fail, "authenticator"},
		{"no healthy collector", func(_ *testing.T, w *world) { w.collectorCode = http.StatusBadGateway }, "collector", report.Fail, "target health"},
		{"certificate about to expire", func(t *testing.T, w *world) { w.collectorCert = doctortest.Certificate(t, 2*24*time.Hour) }, "collector", report.Fail, "renewal"},
		{"another tool's invocation logging in a Region", func(_ *testing.T, w *world) {
			l := ccwbLogging("ccwb-quota-us-west-2")
			l.config = &bedrocktypes.LoggingConfig{S3Config: &bedrocktypes.S3Config{BucketName: aws.String("org-bedrock-logs")}}
			w.logging = map[string]fakeLogging{"us-west-2": l}
		}, "quota invocation logging", report.Fail, `configured in us-west-2 (bucket org-bedrock-logs); ccwb will not replace it: set quota.invocation_logging to "join"`},
		{"invocation logging unreadable", func(_ *testing.T, w *world) {
			w.logging = map[string]fakeLogging{"us-east-1": {err: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized"}}}
		}, "quota invocation logging", report.Warn, "bedrock:GetModelInvocationLoggingConfiguration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := &world{clientIDs: []string{"ccwb-client"}, monitoring: cftypes.StackStatusCreateComplete, collectorCode: http.StatusUnauthorized}
			tc.breaks(t, w)
			results := w.run(t)
			if len(results) != 8 {
				t.Fatalf("%d checks, want 8", len(results))
			}
			doctortest.OnlyBroken(t, results, tc.check, "settings", tc.want, tc.fix)
		})
	}
}
