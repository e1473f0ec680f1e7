package profile

import (
	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/lock"
	"ccwb.dev/client/internal/sso"
	"ccwb.dev/contract/config"
)

// newIdentityCenter assembles an identity-center profile, outermost first:
//
//	cached credentials → profile lock → portal GetRoleCredentials → cached SSO token → refresh or sign-in
//
// The SSO token source runs under the credentials cache's lock.
func newIdentityCenter(name string, p config.Profile, o Options, session *cache.Session, profileLock lock.File) *Profile {
	ic := p.IdentityCenter
	api := &sso.API{Region: ic.Region, Endpoints: sso.Endpoints{OIDC: o.Endpoints.SSOOIDC, Portal: o.Endpoints.SSOPortal}}
	prompt := o.SignIn.Prompt
	if prompt == nil {
		prompt = o.Stderr
	}
	tokens := &sso.Tokens{Session: session, API: api, Stderr: o.Stderr, SignIn: &sso.SignIn{
		API: api, StartURL: ic.StartURL, ClientName: "ccwb-" + name, Method: o.SignIn.method(p),
		Timeout: o.LoginTimeout, Prompt: prompt, Stderr: o.Stderr, Deferred: o.SignIn.Deferred,
	}}
	locker := o.SignIn.locker(profileLock)
	credentials := &cache.CredentialsCache{
		Session: session,
		Lock:    locker,
		Next:    &sso.Provider{Tokens: tokens, AccountID: ic.AccountID, RoleName: ic.RoleName, Stderr: o.Stderr},
	}
	return &Profile{Name: name, Config: p, Session: session, Lock: profileLock, Credentials: credentials, locker: locker}
}
