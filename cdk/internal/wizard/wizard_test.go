package wizard

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
)

// The wizard driven in accessible (line) mode as a user at a screen reader would: typed
// answers, Enter to keep a default, a wrong answer re-asked.
func TestWizardAsksAndValidates(t *testing.T) {
	answers := strings.Join([]string{
		"acme",                   // name
		"mars-1",                 // region: not a region, asked again
		"eu-central-1",           // region
		"dev-42.okta.com",        // IdP domain
		"",                       // IdP type: detected okta kept
		"0oaCLIENT",              // client ID
		"",                       // federation: default (first option: direct)
		"",                       // attribution: default (subject, for okta)
		"10h",                    // session
		"eu-central-1,eu-west-1", // Bedrock regions
		"3",                      // cross-region: 1 none, 2 us, 3 us-gov... -> choose by number
		"",                       // allowed models: default anthropic.*
		"eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"",                // small/fast model: none
		"y",               // monitoring
		"",                // certificate: none
		"y",               // so plain HTTP, for a test deployment (asked because no certificate)
		"ops@example.com", // alarm e-mail (asked because monitoring)
		"n",               // analytics
		"2",               // credential storage: session
		"9400",            // callback port
		"",                // profile name: empty keeps empty (default applies)
	}, "\n") + "\n"
	var out bytes.Buffer
	d := &settings.Deployment{}
	if err := Run(context.Background(), d, Options{Accessible: true, In: strings.NewReader(answers), Out: &out}); err != nil {
		t.Fatal(err)
	}
	if d.Name != "acme" || d.Region != "eu-central-1" || d.IdentityProvider.Type != "okta" || d.IdentityProvider.Domain != "dev-42.okta.com" {
		t.Errorf("identity answers: %+v", d)
	}
	if d.Federation.Type != "direct" || d.Federation.SessionDuration != "10h" || d.Federation.Attribution != "subject" {
		t.Errorf("federation: %+v", d.Federation)
	}
	if strings.Join(d.Bedrock.Regions, ",") != "eu-central-1,eu-west-1" || d.Bedrock.CrossRegionProfile != "us-gov" || strings.Join(d.Bedrock.AllowedModels, ",") != "anthropic.*" {
		t.Errorf("bedrock: %+v", d.Bedrock)
	}
	if !d.Monitoring.Enabled || !d.Monitoring.AllowPlainHTTP || d.Monitoring.AlarmEmail != "ops@example.com" || d.Analytics.Enabled {
		t.Errorf("monitoring/analytics: %+v %+v", d.Monitoring, d.Analytics)
	}
	if d.Client.CredentialStorage != "session" || d.Client.CallbackPort != 9400 {
		t.Errorf("client: %+v", d.Client)
	}
	if !strings.Contains(out.String(), "not a region where Bedrock serves models") {
		t.Errorf("the wrong region was not reported:\n%s", out.String())
	}
	if strings.Contains(out.String(), "Google") {
		t.Errorf("asked for a client secret of a non-Google provider")
	}
}

// Re-running shows the current values as defaults: Enter everywhere changes nothing.
func TestWizardRerunKeepsCurrentValues(t *testing.T) {
	d, err := settings.Load("../../../settings/example.json")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := d.Marshal()
	var out bytes.Buffer
	if err := Run(context.Background(), d, Options{Accessible: true, In: strings.NewReader(strings.Repeat("\n", len(Questions))), Out: &out}); err != nil {
		t.Fatal(err)
	}
	after, _ := d.Marshal()
	if !bytes.Equal(before, after) {
		t.Fatalf("pressing Enter changed the settings:\n%s\nwant\n%s", after, before)
	}
	if !strings.Contains(out.String(), "dev-12345678.okta.com") {
		t.Errorf("current values not shown as defaults:\n%s", out.String())
	}
}

// question is the question behind a flag of ccwb init.
func question(t *testing.T, flag string) Question {
	t.Helper()
	i := slices.IndexFunc(Questions, func(q Question) bool { return q.Flag == flag })
	if i < 0 {
		t.Fatalf("no question --%s", flag)
	}
	return Questions[i]
}

func TestAnswerRejects(t *testing.T) {
	for _, c := range []struct{ flag, value, want string }{
		{"region", "moon-1", "--region: \"moon-1\" is not a region"},
		{"idp-type", "facebook", `"facebook" is not one of okta, azure`},
		{"federation", "saml", `--federation: "saml" is not one of direct, cognito`},
		{"callback-port", "80", "not a port between 1024 and 65535"},
		{"monitoring", "maybe", "not yes or no"},
		{"idp-domain", "not a domain", "cannot tell the provider type"},
		{"bedrock-regions", "us-east-1,xx-1", `"xx-1" is not a region`},
	} {
		if err := question(t, c.flag).Answer(&settings.Deployment{}, c.value); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--%s=%s: error = %v, want %q", c.flag, c.value, err, c.want)
		}
	}
}

func TestDomainSetsTheDetectedType(t *testing.T) {
	d := &settings.Deployment{}
	d.IdentityProvider.Type = "okta"
	q := question(t, "idp-domain")
	if err := q.Answer(d, "my-tenant.us.auth0.com"); err != nil {
		t.Fatal(err)
	}
	if d.IdentityProvider.Type != "auth0" {
		t.Fatalf("type = %s after switching to an Auth0 domain", d.IdentityProvider.Type)
	}
	d.IdentityProvider.Type = "generic"
	if err := q.Answer(d, "https://idp.example.com/realms/x"); err != nil || d.IdentityProvider.Type != "generic" {
		t.Fatalf("generic issuer: %v, type %s", err, d.IdentityProvider.Type)
	}
}

// A provider type that cannot serve the domain is refused and asked again.
func TestWizardReasksAnIncompatibleType(t *testing.T) {
	d := &settings.Deployment{Name: "acme", Region: "us-east-1"}
	// Domain: an Okta host; type: 2 (azure) is refused, then Enter keeps okta.
	answers := "\n\ndev-42.okta.com\n2\n\nabc\n"
	var out bytes.Buffer
	if err := Run(context.Background(), d, Options{Accessible: true, In: strings.NewReader(answers), Out: &out}); err != nil {
		t.Fatal(err)
	}
	if d.IdentityProvider.Type != "okta" {
		t.Fatalf("type = %q", d.IdentityProvider.Type)
	}
	if !strings.Contains(out.String(), `azure tenant "dev-42.okta.com" is malformed`) {
		t.Errorf("the refusal was not shown:\n%s", out.String())
	}
}
