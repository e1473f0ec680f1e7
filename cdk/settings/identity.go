package settings

import (
	"time"

	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/stacks"
)

// Provider returns the identity provider's type (detected from the domain when the
// settings leave it empty) and its issuer URL exactly as its ID tokens carry it in `iss`.
func (d *Deployment) Provider() (provider.Type, string, error) {
	idp := d.IdentityProvider
	var (
		t   provider.Type
		err error
	)
	if idp.Type == "" {
		t, err = provider.Detect(idp.Domain)
	} else {
		t, err = provider.ParseType(idp.Type)
	}
	if err != nil {
		return "", "", err
	}
	issuer, err := provider.IssuerURL(t, idp.Domain)
	if err != nil {
		return "", "", err
	}
	return t, issuer, nil
}

// SessionDuration is the AWS session lifetime; DefaultSessionDuration when unset or
// unparsable (Validate reports the latter).
func (d *Deployment) SessionDuration() time.Duration {
	v, err := time.ParseDuration(d.Federation.SessionDuration)
	if err != nil || v <= 0 {
		return federation.DefaultSessionDuration
	}
	return v
}

// StackName is the CloudFormation stack name of one part of the deployment
// (stacks.Name(d.Name, part), e.g. "<name>-auth").
func (d *Deployment) StackName(part string) string { return stacks.Name(d.Name, part) }

// DefaultAttribution is "subject", except for Auth0, whose subjects ("auth0|...") hold a
// character STS does not accept in a session name.
func (d *Deployment) DefaultAttribution() string {
	if t, _, err := d.Provider(); err == nil && t == provider.Auth0 {
		return federation.AttributionTags
	}
	return federation.AttributionSubject
}

func (d *Deployment) validateAttribution(v *validator) {
	a := d.Federation.Attribution
	switch {
	case d.Federation.Type == federation.Cognito && a != "":
		v.add("federation.attribution", "applies to direct federation only (Cognito's token names the identity ID, which no session name can hold); remove it")
	case d.Federation.Type != federation.Direct:
	case a != federation.AttributionSubject && a != federation.AttributionTags:
		v.add("federation.attribution", "%q is not an attribution mode; use %q (the session name must be the ID token's sub; nothing to set up at the IdP) or %q (the IdP emits the https://aws.amazon.com/tags claim; see docs/platform/identity-providers.md)", a, federation.AttributionSubject, federation.AttributionTags)
	case a == federation.AttributionSubject && d.DefaultAttribution() == federation.AttributionTags:
		v.add("federation.attribution", "%q cannot work with auth0: its subjects (\"auth0|...\") contain '|', which STS does not accept in a session name; use %q and add the Auth0 Action of docs/platform/identity-providers.md", a, federation.AttributionTags)
	}
}
