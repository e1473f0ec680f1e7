// Package env names the environment variables the quota construct sets and the quota
// functions read (lambda/quota/setup): the one place they are spelled. It imports nothing,
// so the construct links no AWS SDK for it.
package env

// The environment variables.
const (
	Deployment    = "CCWB_DEPLOYMENT"
	Table         = "QUOTA_TABLE"
	Ledger        = "QUOTA_LEDGER"
	TableRegion   = "QUOTA_TABLE_REGION" // the deployment's Region, where the tables are
	Account       = "BEDROCK_ACCOUNT"
	RoleName      = "BEDROCK_ROLE_NAME" // unset in other Regions: read from the table
	Prices        = "QUOTA_PRICES"      // JSON list of pricing.Price
	Timezone      = "QUOTA_TIMEZONE"
	UnknownGroups = "QUOTA_UNKNOWN_GROUPS"
	GroupsClaim   = "QUOTA_GROUPS_CLAIM"
	DenyPolicies  = "QUOTA_DENY_POLICY_ARNS" // comma-separated
	TopicARN      = "QUOTA_TOPIC_ARN"
	LogGroup      = "QUOTA_LOG_GROUP"
)

// Properties of the policy seed's custom resource: the settings' policies as JSON, and the
// Bedrock role's name, which the collectors of other Regions read from the table.
const (
	SeedPolicies = "Policies"
	SeedRoleName = "RoleName"
)

// Properties of the invocation-logging custom resource (lambda/quota/logging): the mode
// (quota.LoggingCreate or quota.LoggingJoin), the Region, the log group, the role Bedrock
// delivers with ("" when joining) and whether text is delivered ("true" or "false").
const (
	LoggingMode         = "Mode"
	LoggingRegion       = "Region"
	LoggingLogGroupName = "LogGroupName"
	LoggingRoleARN      = "RoleArn"
	LoggingTextDelivery = "TextDelivery"
)
