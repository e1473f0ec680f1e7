package stackoutputs

import (
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/config"
)

func TestIdentityCenterConfig(t *testing.T) {
	d, err := settings.Load(filepath.Join(root(t), "settings", "identity-center.example.json"))
	if err != nil {
		t.Fatal(err)
	}
	o := Outputs{"ccwb-auth": {
		"ProviderType": "identity-center", "IdentityCenterStartUrl": "https://d-1234567890.awsapps.com/start",
		"IdentityCenterRegion": "us-east-1", "IdentityCenterAccountId": "123456789012", "PermissionSetName": "ClaudeCode-ccwb",
		"PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef", "Region": "us-east-1", "SessionDurationSeconds": "28800",
	}}
	f, err := ConfigFile(d, o)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Profiles["ClaudeCode"]
	want := config.IdentityCenter{StartURL: "https://d-1234567890.awsapps.com/start", Region: "us-east-1", AccountID: "123456789012", RoleName: "ClaudeCode-ccwb"}
	if p.ProviderType != "identity-center" || *p.IdentityCenter != want || p.Issuer != "" || p.SessionDurationSeconds != 28800 || p.Login != "" {
		t.Errorf("profile %+v %+v", p, p.IdentityCenter)
	}
	delete(o["ccwb-auth"], "IdentityCenterStartUrl")
	if _, err := ConfigFile(d, o); err == nil || !strings.Contains(err.Error(), "lacks the outputs IdentityCenterStartUrl") {
		t.Errorf("a missing output: %v", err)
	}
}
