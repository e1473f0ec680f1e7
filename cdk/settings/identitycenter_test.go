package settings

import (
	"slices"
	"testing"
)

// validIdentityCenter returns identity-center settings that pass validation.
func validIdentityCenter() *Deployment {
	d := &Deployment{
		Name: "ccwb", Region: "us-east-1",
		IdentityProvider: IdentityProvider{Type: "identity-center", IdentityCenter: IdentityCenter{
			InstanceARN: "arn:aws:sso:::instance/ssoins-1234567890abcdef", IdentityStoreID: "d-1234567890",
			StartURL: "https://d-1234567890.awsapps.com/start", AccountID: "123456789012",
			Groups: []string{"f81d4fae-7dec-11d0-a765-00a0c91e6bf6"},
		}},
		Bedrock: Bedrock{Regions: []string{"us-east-1"}},
	}
	d.ApplyDefaults()
	return d
}

func TestValidateIdentityCenter(t *testing.T) {
	const f = "identity_provider.identity_center."
	for _, tc := range []struct {
		name   string
		change func(*Deployment)
		want   []string // the fields of the problems, in order; nil means valid
	}{
		{"valid", func(*Deployment) {}, nil},
		{"12h sessions, device login", func(d *Deployment) { d.Federation.SessionDuration = "12h"; d.Client.Login = "device" }, nil},
		{"bad instance", func(d *Deployment) { d.IdentityProvider.IdentityCenter.InstanceARN = "ssoins-1234" }, []string{f + "instance_arn"}},
		{"bad store", func(d *Deployment) { d.IdentityProvider.IdentityCenter.IdentityStoreID = "store" }, []string{f + "identity_store_id"}},
		{"http portal", func(d *Deployment) { d.IdentityProvider.IdentityCenter.StartURL = "http://d-1.awsapps.com/start" }, []string{f + "start_url"}},
		{"unknown region", func(d *Deployment) { d.IdentityProvider.IdentityCenter.Region = "mars-1" }, []string{f + "region"}},
		{"no account", func(d *Deployment) { d.IdentityProvider.IdentityCenter.AccountID = "" }, []string{f + "account_id"}},
		{"no groups", func(d *Deployment) { d.IdentityProvider.IdentityCenter.Groups = nil }, []string{f + "groups"}},
		{"group name instead of ID", func(d *Deployment) { d.IdentityProvider.IdentityCenter.Groups = []string{"Developers"} }, []string{f + "groups[0]"}},
		{"default name too long", func(d *Deployment) { d.Name = "a-very-long-deployment-name" }, []string{f + "permission_set_name"}},
		{"OIDC settings mixed in", func(d *Deployment) {
			d.IdentityProvider.ClientID, d.Federation.Type = "0oa1", "direct"
		}, []string{"identity_provider.client_id", "federation.type"}},
		{"15 minute sessions", func(d *Deployment) { d.Federation.SessionDuration = "15m" }, []string{"federation.session_duration"}},
		{"monitoring", func(d *Deployment) {
			d.Monitoring = Monitoring{Enabled: true, AllowPlainHTTP: true, MinTasks: 2, MaxTasks: 6, LogRetentionDays: 30}
		}, []string{"monitoring.enabled"}},
		{"unknown login", func(d *Deployment) { d.Client.Login = "sms" }, []string{"client.login"}},
		{"quotas", func(d *Deployment) { d.Quota.Enabled = true }, []string{"quota.enabled"}},
		{"distribution bucket", func(d *Deployment) { d.Distribution.Enabled, d.Distribution.UpgradeCheck = true, UpgradeCheckOff }, nil},
		{"distribution with the upgrade check", func(d *Deployment) { d.Distribution.Enabled = true }, []string{"distribution.upgrade_check"}},
		{"landing page", func(d *Deployment) {
			d.Distribution.Enabled, d.Distribution.UpgradeCheck = true, UpgradeCheckOff
			d.Distribution.LandingPage = LandingPage{Enabled: true, DomainName: "claude.example.com", CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/0f0e", ClientID: "web",
				ClientSecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:landing-AbCdEf", AuthorizationEndpoint: "https://idp.example.com/authorize",
				TokenEndpoint: "https://idp.example.com/token", UserInfoEndpoint: "https://idp.example.com/userinfo", SessionTimeout: "1h", LogRetentionDays: 30}
		}, []string{"distribution.landing_page.enabled"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := validIdentityCenter()
			tc.change(d)
			var got []string
			if err := d.Validate(); err != nil {
				for _, p := range err.(*ValidationError).Problems {
					field, _, _ := cutField(p)
					got = append(got, field)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems in %v, want %v (%v)", got, tc.want, d.Validate())
			}
		})
	}
}

func cutField(problem string) (string, string, bool) {
	for i := range len(problem) - 1 {
		if problem[i] == ':' && problem[i+1] == ' ' {
			return problem[:i], problem[i+2:], true
		}
	}
	return problem, "", false
}

func TestIdentityCenterDefaults(t *testing.T) {
	d := validIdentityCenter()
	if d.PermissionSetName() != "ClaudeCode-ccwb" || d.IdentityCenterRegion() != "us-east-1" || d.Federation.Type != "" || d.Federation.Attribution != "" || d.Client.Login != "auto" {
		t.Errorf("defaults: permission set %q, region %q, federation %+v, login %q", d.PermissionSetName(), d.IdentityCenterRegion(), d.Federation, d.Client.Login)
	}
}

func TestLoginPerProvider(t *testing.T) {
	for _, tc := range []struct {
		domain, login string
		ok            bool
	}{
		{"dev-123456.okta.com", "device", true},
		{"us-east-1_AbCdEf123", "device", false},
		{"us-east-1_AbCdEf123", "auto", true},
		{"accounts.google.com", "device", false},
	} {
		d := valid()
		d.IdentityProvider.Domain, d.Client.Login = tc.domain, tc.login
		if tc.domain == "accounts.google.com" {
			d.IdentityProvider.ClientSecret = "x"
		}
		err := d.Validate()
		if ok := err == nil; ok != tc.ok {
			t.Errorf("%s with login %s: %v", tc.domain, tc.login, err)
		}
	}
}

// The committed identity-center example loads and validates.
func TestLoadIdentityCenterExample(t *testing.T) {
	d, err := Load("../../settings/identity-center.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if !d.UsesIdentityCenter() || d.PermissionSetName() != "ClaudeCode-ccwb" {
		t.Errorf("loaded %+v", d.IdentityProvider)
	}
}
