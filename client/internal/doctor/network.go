package doctor

import (
	"context"
	"net/url"
	"time"

	"ccwb.dev/client/doctor"
	"ccwb.dev/client/internal/profile"
	"ccwb.dev/client/internal/sso"
)

// clockSkew compares this computer's clock with the identity provider's (the Date of its
// discovery document; Identity Center: of the SSO OIDC endpoint). go-oidc allows no skew on
// an ID token's expiry and SigV4 refuses requests more than 15 minutes off.
func clockSkew(ctx context.Context, e Env, t Target) doctor.Result {
	issuer := t.Profile.Issuer
	if ic := t.Profile.IdentityCenter; ic != nil {
		issuer = (&sso.API{Region: ic.Region, Endpoints: sso.Endpoints{OIDC: profile.EndpointsFromEnv().SSOOIDC}}).OIDCURL()
	}
	d, err := doctor.Discover(ctx, e.HTTP, issuer)
	if err != nil && (d.Date.IsZero() || t.Profile.IdentityCenter == nil) {
		return doctor.Fail("check your network, proxy or VPN to "+issuer, "%v", err)
	}
	skew, ok := d.Skew()
	if !ok {
		return doctor.Warn("nothing to fix here; the sign-in checks expiry with this computer's clock", "%s sent no Date to compare the clock with", issuer)
	}
	abs := max(skew, -skew)
	fix := "set the clock to network time (macOS: Date & Time settings; Windows: Date & time, Sync now; Linux: timedatectl set-ntp true)"
	switch {
	case abs > 5*time.Minute:
		return doctor.Fail(fix, "this clock is %s off %s's", skew, hostOf(issuer))
	case abs > time.Minute:
		return doctor.Warn(fix, "this clock is %s off %s's", skew, hostOf(issuer))
	}
	return doctor.Pass("this clock is within a minute of %s's", hostOf(issuer))
}

// hostOf is the host (and port) of a URL, for messages; the URL itself when it has none.
func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host
	}
	return u
}

// otlp: the collector config.json names answers, requires a token, and has a valid
// certificate.
func otlp(ctx context.Context, e Env, t Target) doctor.Result {
	endpoint := t.Profile.OTelEndpoint
	if endpoint == "" {
		return doctor.Skip("monitoring is not part of this deployment")
	}
	return doctor.Ingest(ctx, e.HTTP, endpoint, t.Profile.OTelAllowPlainHTTP, e.Roots, e.Now())
}
