package provider

// IdentityCenter is the identity source of a deployment whose users sign in with AWS IAM
// Identity Center instead of an OpenID Connect identity provider: no issuer, no client
// registered by the administrator, no IAM OIDC provider. It is not one of Types (which are
// OIDC issuers with their detection and issuer rules); settings, config.json and the
// credential process branch on it (docs/platform/identity-center.md).
const IdentityCenter Type = "identity-center"
