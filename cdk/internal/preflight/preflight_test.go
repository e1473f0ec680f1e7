package preflight

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"ccwb.dev/cdk/internal/mototest"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/testenv"
)

const ccwbClient, otherApp = "0oa-ccwb", "0oa-payroll"

// TestExistingOIDCProvider reads real OIDC providers from a local IAM (moto) with the SDK,
// as `ccwb deploy` does with the deploying credentials.
func TestExistingOIDCProvider(t *testing.T) {
	client := mototest.IAM(testenv.Moto(t))
	ctx := context.Background()
	provider := func(url string, clientIDs ...string) string {
		out, err := client.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
			Url: aws.String(url), ClientIDList: clientIDs, ThumbprintList: []string{strings.Repeat("a", 40)},
		})
		if err != nil {
			t.Fatalf("create OIDC provider %s: %v", url, err)
		}
		return aws.ToString(out.OpenIDConnectProviderArn)
	}
	shared := provider("https://shared.example.com", ccwbClient, otherApp)
	own := provider("https://own.example.com", ccwbClient)
	foreign := provider("https://foreign.example.com", otherApp)
	missing := "arn:aws:iam::123456789012:oidc-provider/missing.example.com"

	tests := []struct {
		name, federation, arn, wantErr string
	}{
		{"cognito, provider of ccwb alone", federation.Cognito, own, ""},
		{"cognito, provider shared with another app", federation.Cognito, shared, "with cognito federation the provider's client-ID list must be exactly [0oa-ccwb], but " + shared + " lists [0oa-ccwb, 0oa-payroll]"},
		{"cognito, provider without ccwb", federation.Cognito, foreign, "must be exactly [0oa-ccwb]"},
		{"direct, shared provider", federation.Direct, shared, ""},
		{"direct, provider without ccwb", federation.Direct, foreign, "does not list the client 0oa-ccwb, so IAM would refuse every ccwb token"},
		{"no such provider", federation.Cognito, missing, missing + " does not exist in this account"},
		{"no existing provider", federation.Cognito, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &settings.Deployment{
				IdentityProvider: settings.IdentityProvider{ClientID: ccwbClient},
				Federation:       settings.Federation{Type: tt.federation, ExistingOIDCProviderARN: tt.arn},
			}
			err := ExistingOIDCProvider(ctx, client, d)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error = %v, want it to contain %q", err, tt.wantErr)
			case err != nil && !strings.HasPrefix(err.Error(), "federation.existing_oidc_provider_arn: "):
				t.Errorf("error %q does not name the setting", err)
			}
		})
	}
}
