package settings

import (
	"slices"
	"strings"

	"ccwb.dev/contract/provider"
	"ccwb.dev/contract/signin"
)

// validateLogin checks client.login against what the identity source supports: Cognito user
// pools have no device authorization grant, and Google's needs a client of another type
// ("TVs and Limited Input devices") that ccwb does not register.
func (d *Deployment) validateLogin(v *validator) {
	l := d.Client.Login
	if l == "" {
		l = signin.Auto
	}
	if !slices.Contains(signin.Methods, l) {
		v.add("client.login", "%q is not a login method; use one of %s", l, strings.Join(signin.Methods, ", "))
		return
	}
	if l != signin.Device || d.UsesIdentityCenter() {
		return
	}
	switch t, _, _ := d.Provider(); t {
	case provider.Cognito:
		v.add("client.login", "Cognito user pools have no device authorization grant; use %q or %q (auto signs in with the browser there)", signin.Browser, signin.Auto)
	case provider.Google:
		v.add("client.login", "Google's device flow needs a separate \"TVs and Limited Input devices\" client, which ccwb does not support yet; use %q or %q", signin.Browser, signin.Auto)
	}
}
