package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	bedrocktypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"ccwb.dev/cdk/internal/mototest"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/testenv"
)

// motoAWS starts a local moto and points every AWS client ccwb makes at it, with moto's
// throwaway credentials and none of this machine's AWS configuration.
func motoAWS(t *testing.T) string {
	url := testenv.Moto(t)
	t.Setenv("AWS_ENDPOINT_URL", url)
	isolatedAWS(t, "testing", "testing")
	return url
}

// TestDeployRefusesASharedProviderWithCognito: `ccwb deploy` reads the existing OIDC
// provider from IAM (a local moto IAM here) before it runs anything, and stops a cognito
// deployment whose provider also trusts another application's client.
func TestDeployRefusesASharedProviderWithCognito(t *testing.T) {
	url := motoAWS(t)
	out, err := mototest.IAM(url).CreateOpenIDConnectProvider(context.Background(), &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://dev-123456.okta.com"), ClientIDList: []string{"0oa-ccwb", "0oa-payroll"}, ThumbprintList: []string{strings.Repeat("a", 40)},
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := emptyProject(t)
	d := &settings.Deployment{
		Name: "acme", Region: "us-east-1",
		IdentityProvider: settings.IdentityProvider{Domain: "dev-123456.okta.com", ClientID: "0oa-ccwb"},
		Federation:       settings.Federation{Type: federation.Cognito, ExistingOIDCProviderARN: aws.ToString(out.OpenIDConnectProviderArn)},
	}
	d.ApplyDefaults()
	path := filepath.Join(dir, "acme.json")
	if err := settings.Write(path, d); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := ccwb(t, "", "deploy", "--project", dir, "--settings", path, "--require-approval", "never")
	if err == nil || !strings.Contains(err.Error(), "with cognito federation the provider's client-ID list must be exactly [0oa-ccwb]") {
		t.Fatalf("deploy = %v, want the shared provider refused", err)
	}
	if strings.Contains(stderr, "deploying") {
		t.Errorf("deploy started before the check: %s", stderr)
	}
}

// fakeCDK installs a cdk in the project that records each command line in the returned
// file and writes an empty outputs file where it is asked for one.
func fakeCDK(t *testing.T, dir string) (calls string) {
	t.Helper()
	bin := filepath.Join(dir, "node_modules", ".bin")
	calls = filepath.Join(bin, "calls")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + calls + "'\n" +
		"while [ $# -gt 0 ]; do [ \"$1\" = --outputs-file ] && printf '{}' > \"$2\"; shift; done\nexit 0\n"
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "cdk"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return calls
}

// TestDeployStopsBeforeCDKWhenLoggingIsTaken: with quotas on and another tool's Bedrock
// invocation logging in both metered Regions (a local moto), `ccwb deploy` runs no cdk
// command at all and names both Regions; --dry-run still prints the plan without asking
// AWS; once the Regions are free the same deploy runs cdk.
func TestDeployStopsBeforeCDKWhenLoggingIsTaken(t *testing.T) {
	url := motoAWS(t)
	ctx := context.Background()
	regions := []string{"us-east-1", "us-west-2"}
	for _, r := range regions {
		_, err := bedrock.NewFromConfig(mototest.Config(url, r)).PutModelInvocationLoggingConfiguration(ctx, &bedrock.PutModelInvocationLoggingConfigurationInput{
			LoggingConfig: &bedrocktypes.LoggingConfig{CloudWatchConfig: &bedrocktypes.CloudWatchConfig{LogGroupName: aws.String("/org/bedrock"), RoleArn: aws.String("arn:aws:iam::123456789012:role/org-logging")}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	dir := emptyProject(t)
	calls := fakeCDK(t, dir)
	d := &settings.Deployment{
		Name: "acme", Region: "us-east-1",
		IdentityProvider: settings.IdentityProvider{Domain: "dev-123456.okta.com", ClientID: "0oa-ccwb"},
		Bedrock:          settings.Bedrock{Regions: regions},
		Quota:            settings.Quota{Enabled: true},
	}
	d.ApplyDefaults()
	path := filepath.Join(dir, "acme.json")
	if err := settings.Write(path, d); err != nil {
		t.Fatal(err)
	}
	deploy := []string{"deploy", "--project", dir, "--settings", path, "--require-approval", "never"}

	_, stderr, err := ccwb(t, "", deploy...)
	for _, r := range regions {
		if want := "Bedrock model invocation logging is already configured in " + r + " (log group /org/bedrock); ccwb will not replace it"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("deploy = %v, want it to say %q", err, want)
		}
	}
	if b, _ := os.ReadFile(calls); len(b) > 0 || strings.Contains(stderr, "deploying") {
		t.Fatalf("deploy ran cdk before the check refused:\n%s%s", b, stderr)
	}
	if out, _, err := ccwb(t, "", append(deploy, "--dry-run")...); err != nil || !strings.Contains(out, " deploy ") {
		t.Fatalf("deploy --dry-run = %v, printed %q: it must not ask AWS", err, out)
	}

	for _, r := range regions {
		if _, err := bedrock.NewFromConfig(mototest.Config(url, r)).DeleteModelInvocationLoggingConfiguration(ctx, &bedrock.DeleteModelInvocationLoggingConfigurationInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, stderr, err := ccwb(t, "", deploy...); err != nil {
		t.Fatalf("deploy over free Regions: %v\n%s", err, stderr)
	}
	b, _ := os.ReadFile(calls)
	if got := string(b); !strings.Contains(got, "synth ") || !strings.Contains(got, "deploy --no-notices --app "+filepath.Join(dir, "cdk.out")+" --exclusively --outputs-file") || !strings.HasSuffix(got, " acme-quota-us-west-2\n") {
		t.Errorf("cdk ran\n%s", got)
	}
}
