package outputs

// Quota stack outputs.
const (
	// QuotaURL is the quota check service's URL (the route, POST with the ID token);
	// `ccwb package` puts it into config.json as quota_url.
	QuotaURL = "QuotaCheckUrl"
	// QuotaTable is the DynamoDB table of policies, usage, blocks and overrides, which the
	// `ccwb quota` commands read and write.
	QuotaTable = "QuotaTableName"
	// QuotaTopic is the SNS topic of warnings, blocks and the quota alarms.
	QuotaTopic = "QuotaTopicArn"
	// QuotaDashboard is the quota dashboard's name.
	QuotaDashboard = "QuotaDashboardName"
)
