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
