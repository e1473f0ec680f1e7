package outputs

// Auth stack outputs of an identity-center deployment (identity_provider.type
// "identity-center"): the permission set replaces the OIDC provider and the role, and the
// client needs the access portal to sign in and the account and role to ask for. The
// ProviderType, Region and SessionDurationSeconds outputs are shared with OIDC deployments.
const (
	// IdentityCenterStartURL is the AWS access portal URL users sign in at.
	IdentityCenterStartURL = "IdentityCenterStartUrl"
	// IdentityCenterRegion is the Region of the Identity Center instance (SSO OIDC and the portal).
	IdentityCenterRegion = "IdentityCenterRegion"
	// IdentityCenterAccountID is the account the permission set is assigned in.
	IdentityCenterAccountID = "IdentityCenterAccountId"
	// PermissionSetName is the permission set, which is also the role name the portal's
	// GetRoleCredentials takes.
	PermissionSetName = "PermissionSetName"
	// PermissionSetARN is the permission set's ARN (for the administrator: ccwb reads none
	// of it yet).
	PermissionSetARN = "PermissionSetArn"
)

// IdentityCenter lists the auth stack outputs of an identity-center deployment, in the
// order the stack declares them.
var IdentityCenter = []string{ProviderType, IdentityCenterStartURL, IdentityCenterRegion, IdentityCenterAccountID, PermissionSetName, PermissionSetARN, Region, SessionDurationSeconds}
