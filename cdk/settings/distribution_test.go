package settings

import (
	"errors"
	"strings"
	"testing"
)

// withLanding is valid() with the distribution stack and its landing page on.
func withLanding() *Deployment {
	d := valid()
	d.Distribution.Enabled = true
	d.Distribution.LandingPage = LandingPage{
		Enabled: true, DomainName: "claude.example.com",
		CertificateARN:        "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab",
		ClientID:              "0oaweb123",
		ClientSecretARN:       "arn:aws:secretsmanager:us-east-1:123456789012:secret:ccwb/landing-AbCdEf",
		AuthorizationEndpoint: "https://dev-123456.okta.com/oauth2/v1/authorize",
		TokenEndpoint:         "https://dev-123456.okta.com/oauth2/v1/token",
		UserInfoEndpoint:      "https://dev-123456.okta.com/oauth2/v1/userinfo",
	}
	d.ApplyDefaults()
	return d
}

func TestValidateDistribution(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Deployment)
		want   []string
	}{
		{"valid", func(d *Deployment) {}, nil},
		{"bucket only", func(d *Deployment) { d.Distribution.LandingPage = LandingPage{}; d.ApplyDefaults() }, nil},
		{"landing page without the bucket", func(d *Deployment) { d.Distribution.Enabled = false },
			[]string{"distribution.landing_page.enabled: the landing page serves the distribution bucket; set distribution.enabled to true, or landing_page.enabled to false"}},
		{"encryption", func(d *Deployment) { d.Distribution.Encryption = "aes" },
			[]string{`distribution.encryption: "aes" is not an encryption; use "s3" (SSE-S3) or "kms" (a customer-managed KMS key)`}},
		{"upgrade check", func(d *Deployment) { d.Distribution.UpgradeCheck = "weekly" },
			[]string{`distribution.upgrade_check: "weekly" is neither "daily" nor "off"`}},
		{"no certificate", func(d *Deployment) { d.Distribution.LandingPage.CertificateARN = "" },
			[]string{"distribution.landing_page.certificate_arn: missing: the load balancer signs users in only on an HTTPS listener; give an ACM certificate for domain_name"}},
		{"the secret itself", func(d *Deployment) { d.Distribution.LandingPage.ClientSecretARN = "s3cr3t" },
			[]string{`distribution.landing_page.client_secret_arn: "s3cr3t" must be a Secrets Manager secret ARN; store the client secret there, never in settings`}},
		{"public client", func(d *Deployment) { d.Distribution.LandingPage.ClientID = d.IdentityProvider.ClientID },
			[]string{"distribution.landing_page.client_id: is ccwb's public client; the load balancer needs a confidential web client with a secret: register a second application"}},
		{"http endpoint", func(d *Deployment) { d.Distribution.LandingPage.TokenEndpoint = "http://idp/token" },
			[]string{`distribution.landing_page.token_endpoint: "http://idp/token" is not an https URL; copy token_endpoint from the IdP's discovery document (<issuer>/.well-known/openid-configuration)`}},
		{"session too long", func(d *Deployment) { d.Distribution.LandingPage.SessionTimeout = "200h" },
			[]string{`distribution.landing_page.session_timeout: "200h" is not a duration from 1m to 168h (the load balancer's limit of 7 days); e.g. "1h"`}},
		{"subnets without vpc", func(d *Deployment) { d.Distribution.LandingPage.SubnetIDs = []string{"subnet-0123abcd"} },
			[]string{"distribution.landing_page.subnet_ids: given without vpc_id; set vpc_id too, or remove subnet_ids to create a VPC"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := withLanding()
			tc.change(d)
			err := d.Validate()
			var verr *ValidationError
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if !errors.As(err, &verr) {
				t.Fatalf("want problems %q, got %v", tc.want, err)
			}
			if got := strings.Join(verr.Problems, "\n"); got != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(tc.want, "\n"))
			}
		})
	}
}
