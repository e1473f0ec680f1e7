package settings

import (
	"fmt"
	"time"

	"ccwb.dev/client/provider"
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
		return DefaultSessionDuration
	}
	return v
}

// StackName is the CloudFormation stack name of one part of the deployment, e.g.
// StackName("auth") = "<name>-auth".
func (d *Deployment) StackName(part string) string {
	return fmt.Sprintf("%s-%s", d.Name, part)
}

// Attribution modes of direct federation (federation.attribution).
const (
	AttributionSubject = "subject"
	AttributionTags    = "tags"
)

// DefaultAttribution is "subject", except for Auth0, whose subjects ("auth0|...") hold a
// character STS does not accept in a session name.
func (d *Deployment) DefaultAttribution() string {
	if t, _, err := d.Provider(); err == nil && t == provider.Auth0 {
		return AttributionTags
	}
	return AttributionSubject
}

func (d *Deployment) validateAttribution(v *validator) {
	a := d.Federation.Attribution
	switch {
	case d.Federation.Type == FederationCognito && a != "":
		v.add("federation.attribution", "applies to direct federation only (Cognito's token names the identity ID, which no session name can hold); remove it")
	case d.Federation.Type != FederationDirect:
	case a != AttributionSubject && a != AttributionTags:
		v.add("federation.attribution", "%q is not an attribution mode; use %q (the session name must be the ID token's sub; nothing to set up at the IdP) or %q (the IdP emits the https://aws.amazon.com/tags claim; see docs/platform/identity-providers.md)", a, AttributionSubject, AttributionTags)
	case a == AttributionSubject && d.DefaultAttribution() == AttributionTags:
		v.add("federation.attribution", "%q cannot work with auth0: its subjects (\"auth0|...\") contain '|', which STS does not accept in a session name; use %q and add the Auth0 Action of docs/platform/identity-providers.md", a, AttributionTags)
	}
}
