package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"ccwb.dev/cdk/internal/mototest"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/testenv"
)

// TestDeployRefusesASharedProviderWithCognito: `ccwb deploy` reads the existing OIDC
// provider from IAM (a local moto IAM here) before it runs anything, and stops a cognito
// deployment whose provider also trusts another application's client.
func TestDeployRefusesASharedProviderWithCognito(t *testing.T) {
	url := testenv.Moto(t)
	t.Setenv("AWS_ENDPOINT_URL_IAM", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
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
