package outputs

// Analytics stack outputs: where analysts find the data.
const (
	// AthenaWorkGroup is the Athena workgroup holding the named queries.
	AthenaWorkGroup = "AthenaWorkGroup"
	// GlueDatabase is the Glue database of the analytics table.
	GlueDatabase = "GlueDatabase"
	// AnalyticsTable is the Glue table of metric rows.
	AnalyticsTable = "AnalyticsTable"
	// AnalyticsBucket is the S3 bucket holding the Parquet data (and failed records).
	AnalyticsBucket = "AnalyticsBucket"
)
