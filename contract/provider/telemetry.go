package provider

import (
	"errors"
	"fmt"
	"strings"
)

// Telemetry is how a provider issues the telemetry token: an access token for a separate API
// (its audience), which the collector accepts and STS does not accept for the Bedrock role,
// because the role's identity provider trusts only the client ID as audience.
type Telemetry struct {
	// AuthParams are added to the authorization request to get that token.
	AuthParams map[string]string
	// SubjectClaim is the access token's claim that names the user, which the collector
	// hashes into user.id: the one closest to the ID token's sub.
	SubjectClaim string
}

// TelemetryFor says how provider t issues an access token for audience, checked against the
// issuer and the scope the settings give; an error says why this provider or set-up cannot.
//   - Okta: a custom authorization server (issuer .../oauth2/<id>) mints access tokens whose
//     aud is its audience; uid is the user's Okta ID, the ID token's sub.
//   - Entra ID: the sign-in must ask for a scope of the API; v2.0 access tokens carry the
//     API application's client ID (a GUID) as aud and the v2.0 issuer; sub is pairwise per
//     application, oid is the user's object ID in every token.
//   - Auth0: the authorization request names the API in its audience parameter; the access
//     token's aud lists the API identifier, and sub is the ID token's.
//   - Cognito user pools and Google cannot (see the errors).
func TelemetryFor(t Type, issuer, audience, scope string) (Telemetry, error) {
	if strings.TrimSpace(audience) == "" {
		return Telemetry{}, errors.New("no telemetry audience")
	}
	switch t {
	case Okta:
		if !strings.Contains(issuer, "/oauth2/") {
			return Telemetry{}, fmt.Errorf("the Okta org authorization server (%s) mints access tokens only for Okta's own APIs; use a custom authorization server (domain <org>/oauth2/<server-id>) and give its audience", issuer)
		}
		return Telemetry{SubjectClaim: "uid"}, nil
	case Azure:
		if scope == "" {
			return Telemetry{}, errors.New("Entra ID issues an access token for an API only when the sign-in asks for one of its scopes: set telemetry_scope, e.g. api://ccwb-telemetry/Telemetry.Send")
		}
		if !guidRe().MatchString(audience) {
			return Telemetry{}, fmt.Errorf("Entra ID v2.0 access tokens carry the API application's client ID (a GUID) as aud, not %q: give that GUID, and set the API's requestedAccessTokenVersion to 2 in its manifest", audience)
		}
		return Telemetry{SubjectClaim: "oid"}, nil
	case Auth0:
		return Telemetry{AuthParams: map[string]string{"audience": audience}, SubjectClaim: "sub"}, nil
	case Cognito:
		return Telemetry{}, errors.New("Cognito user pool access tokens carry no aud claim (client_id names the app client instead), so the collector, which checks aud, cannot tell them apart from other clients' tokens; leave the telemetry audience out (the collector then checks the ID token)")
	case Google:
		return Telemetry{}, errors.New("Google issues access tokens only for Google's own APIs (opaque, not JWTs a collector can verify) and ID tokens only for the client that signs in; leave the telemetry audience out (the collector then checks the ID token)")
	case Generic:
		return Telemetry{SubjectClaim: "sub"}, nil
	}
	return Telemetry{}, fmt.Errorf("unknown provider type %q: use one of %s", t, typeList())
}
