package auth

import (
	"strings"
	"testing"
	"time"

	"ccwb.dev/contract/federation"
)

func TestPropsDefaultsAndRefusals(t *testing.T) {
	p := (&BedrockAuthProps{Issuer: "https://idp.example.com", ClientID: "c", Regions: []string{"us-east-1"}, Models: []string{"anthropic.*"}}).withDefaults()
	if p.Federation != federation.Direct || p.SessionDuration != federation.DefaultSessionDuration {
		t.Errorf("defaults = %q %s, want direct 8h", p.Federation, p.SessionDuration)
	}
	tests := []struct {
		props *BedrockAuthProps
		want  string
	}{
		{nil, "props are required"},
		{&BedrockAuthProps{}, `Issuer "" is not an https URL; ClientID is empty; Regions is empty; Models is empty`},
		{&BedrockAuthProps{Issuer: "https://x", ClientID: "c", Regions: []string{"us-east-1"}, Models: []string{"a.*"}, Federation: "saml"}, `Federation "saml" is neither "direct" nor "cognito"`},
		{&BedrockAuthProps{Issuer: "https://x", ClientID: "c", Regions: []string{"us-east-1"}, Models: []string{"a.*"}, SessionDuration: 13 * time.Hour}, "SessionDuration 13h0m0s is outside 1h..12h"},
	}
	for _, tt := range tests {
		got := func() (msg string) {
			defer func() { msg, _ = recover().(string) }()
			tt.props.withDefaults()
			return ""
		}()
		if !strings.Contains(got, tt.want) {
			t.Errorf("withDefaults(%+v) panicked with %q, want %q", tt.props, got, tt.want)
		}
	}
}

func TestIdentityCenterPropsDefaultsAndRefusals(t *testing.T) {
	ok := IdentityCenterAccessProps{InstanceARN: "arn:aws:sso:::instance/ssoins-1", Name: "ClaudeCode", AccountID: "123456789012",
		Groups: []string{"g"}, Regions: []string{"us-east-1"}, Models: []string{"anthropic.*"}}
	if p := ok.withDefaults(); p.SessionDuration != 8*time.Hour || p.Description == "" {
		t.Errorf("defaults %+v", p)
	}
	long := ok
	long.Name, long.SessionDuration = strings.Repeat("n", 33), 13*time.Hour
	for _, tt := range []struct {
		props *IdentityCenterAccessProps
		want  string
	}{
		{nil, "props are required"},
		{&IdentityCenterAccessProps{}, "InstanceARN is empty; Name is empty; AccountID is empty; Groups, Regions and Models must not be empty"},
		{&long, "longer than 32 characters; SessionDuration 13h0m0s is outside 1h..12h"},
	} {
		got := func() (msg string) {
			defer func() { msg, _ = recover().(string) }()
			tt.props.withDefaults()
			return ""
		}()
		if !strings.Contains(got, tt.want) {
			t.Errorf("withDefaults panicked with %q, want %q", got, tt.want)
		}
	}
}
