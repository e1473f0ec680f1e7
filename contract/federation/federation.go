// Package federation names the ways a verified ID token becomes AWS credentials, and their
// limits: the deployment settings validate against them, the auth construct builds them, and
// the end-user config tells the credential process which one to speak.
package federation

import "time"

// Federation types.
const (
	// Direct is an IAM OIDC provider and sts:AssumeRoleWithWebIdentity with the ID token.
	Direct = "direct"
	// Cognito is a Cognito identity pool (basic flow: GetId, GetOpenIdToken), then
	// sts:AssumeRoleWithWebIdentity with Cognito's token.
	Cognito = "cognito"
)

// Types lists the federation types, in the order docs and the wizard show them.
var Types = []string{Direct, Cognito}

// Session durations: what STS grants a role session, and the default of a deployment.
const (
	DefaultSessionDuration = 8 * time.Hour
	MinSessionDuration     = time.Hour
)

// MaxSessionDuration is the longest session a federation type allows: a role's maximum
// (12 h) for direct federation, 8 h through a Cognito identity pool. There the enhanced flow
// (GetCredentialsForIdentity) caps sessions at 1 h, so the client uses the basic flow
// (GetOpenIdToken, then sts:AssumeRoleWithWebIdentity with a duration), and ccwb supports up
// to 8 h.
func MaxSessionDuration(federationType string) time.Duration {
	if federationType == Cognito {
		return 8 * time.Hour
	}
	return 12 * time.Hour
}

// Attribution modes of direct federation: what the role's trust policy requires so that a
// session names the identity the ID token proves, not one the client chooses
// (docs/platform/iam-model.md).
const (
	// AttributionSubject requires sts:RoleSessionName to equal the token's sub.
	AttributionSubject = "subject"
	// AttributionTags requires the IdP's https://aws.amazon.com/tags claim, with principal
	// tags sub (equal to the token's sub) and email.
	AttributionTags = "tags"
)
