package cli

import (
	"fmt"
	"time"

	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/profile"
)

func noIDToken(p *profile.Profile) error {
	return fmt.Errorf("profile %s signs in with IAM Identity Center, which issues no ID token of an identity provider: there are no claims or monitoring token to show", p.Name)
}

// explainIdentityCenter prints an identity-center profile's settings and cache state.
func explainIdentityCenter(p *profile.Profile, row func(k, v string)) {
	c, ic := p.Config, p.Config.IdentityCenter
	row("identity source", "IAM Identity Center, access portal "+ic.StartURL+" ("+ic.Region+")")
	row("permission set", ic.RoleName+" in account "+ic.AccountID)
	row("login method", c.LoginMethod())
	row("region", c.Region)
	row("session duration", (time.Duration(c.SessionDurationSeconds) * time.Second).String())
	explainCredentials(p, row)
	t, ok := p.Session.SSOToken()
	switch {
	case !ok:
		row("sign-in", "none cached (next use signs in at the access portal)")
	case p.Session.Fresh(t):
		row("sign-in", "access token valid until "+t.Expiry.UTC().Format(time.RFC3339)+refreshNote(t.RefreshToken))
	default:
		row("sign-in", "no access token valid beyond the "+cache.ExpiryWindow.String()+" expiry window"+refreshNote(t.RefreshToken))
	}
	if r, ok := p.Session.Registration(); ok {
		row("client registration", r.Grant+", valid until "+r.ExpiresAt.UTC().Format(time.RFC3339))
	}
}
