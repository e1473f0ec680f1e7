package cost

// Region is the Region the prices are for.
const Region = "us-east-1"

// PricesRead is when the prices were read (from stored copies of the pages; see Source).
const PricesRead = "2026-12-01"

// Price is one AWS list price in Region, with where it comes from. AWS's pricing pages
// render their tables with scripts, and the stored copies this repository could read hold
// only their prose; so each price names AWS's page (the authority) and the page its figure
// was read from, with that page's date. Unverified marks a figure no stored page showed.
type Price struct {
	USD        float64
	Unit       string
	AWS        string // AWS's pricing or documentation page
	ReadFrom   string // where the figure was read, and that page's date
	Unverified bool
}

// The prices the model uses.
var (
	// CloudWatch custom metrics, per metric-month, in tiers of the month's metric count.
	MetricTiers = []struct {
		UpTo float64 // metrics, cumulative; 0 = no bound
		USD  float64
	}{{10_000, 0.30}, {250_000, 0.10}, {1_000_000, 0.05}, {0, 0.02}}
	MetricPrice = Price{0.30, "metric-month, first 10,000 (then 0.10, 0.05, 0.02)", "https://aws.amazon.com/cloudwatch/pricing/",
		"https://github.com/nishinoshake/aws-rough/issues/37 (2022-04-29, the four tiers from AWS's page); " +
			"https://github.com/api-evangelist/cloudwatch plans/cloudwatch-plans-pricing.yml (2026-05-04, us-east-1: 0.30, 0.10, 0.05); " +
			"hourly proration of a metric to the hours it receives data: https://qiita.com/k1nakayama/items/78dfb34824a2e65b206d (from a bill)", false}
	LogsIngest = Price{0.50, "GB ingested (Standard class)", "https://aws.amazon.com/cloudwatch/pricing/",
		"https://c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026)", false}
	LogsStorage = Price{0.03, "GB-month archived", "https://aws.amazon.com/cloudwatch/pricing/",
		"https://c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026)", false}
	LogsInsights = Price{0.005, "GB scanned", "https://aws.amazon.com/cloudwatch/pricing/",
		"https://c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026)", false}
	VendedLogs = Price{0.50, "GB of flow logs delivered to CloudWatch Logs, first 10 TB", "https://aws.amazon.com/cloudwatch/pricing/",
		"no stored page shows the vended-log tiers for a CloudWatch Logs destination; the Standard ingestion rate is used, an upper bound", true}
	DashboardPrice = Price{3, "dashboard-month (beyond the free 3)", "https://aws.amazon.com/cloudwatch/pricing/",
		"https://github.com/nishinoshake/aws-rough/issues/37 (2022-04-29)", false}
	AlarmPrice = Price{0.10, "standard-resolution alarm metric-month", "https://aws.amazon.com/cloudwatch/pricing/",
		"https://github.com/api-evangelist/cloudwatch plans/cloudwatch-plans-pricing.yml (2026-05-04)", false}
	FargateVCPU = Price{0.04048, "vCPU-hour, Linux/x86", "https://aws.amazon.com/fargate/pricing/",
		"https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/ (us-east-1, June 2026)", false}
	FargateGB = Price{0.004445, "GB-hour, Linux/x86", "https://aws.amazon.com/fargate/pricing/",
		"https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/ (us-east-1, June 2026)", false}
	PublicIPv4 = Price{0.005, "public IPv4 address-hour", "https://aws.amazon.com/vpc/pricing/",
		"charged since 2024-02-01 per https://aws.amazon.com/blogs/networking-and-content-delivery/identify-and-optimize-public-ipv4-address-usage-on-aws/; figure from https://www.doit.com/aws-public-ipv4-price-increase-the-complete-guide/", false}
	ALBHour = Price{0.0225, "load balancer-hour", "https://aws.amazon.com/elasticloadbalancing/pricing/",
		"https://cloud-horizons.com/blog/alb-the-line-item-nobody-watches/ (2026-05-08)", false}
	ALBLCU = Price{0.008, "LCU-hour (an LCU: 25 new connections/s, 3,000 active connections/min, 1 GB/h processed, 1,000 rule evaluations/s; the largest counts)",
		"https://aws.amazon.com/elasticloadbalancing/pricing/", "https://cloud-horizons.com/blog/alb-the-line-item-nobody-watches/ (2026-05-08)", false}
	KMSKey = Price{1, "customer managed key-month (the alarm topic's key)", "https://aws.amazon.com/kms/pricing/",
		"AWS's page (stored copy): \"Each AWS KMS key that you create in KMS costs $1/month\"", false}
	FirehoseIngest = Price{0.029, "GB ingested, first 500 TB, each record rounded up to 5 KB", "https://aws.amazon.com/kinesis/data-firehose/pricing/",
		"AWS's page (stored German copy) says ingestion is billed per GB in 5 KB steps; no stored page shows the figure, the commonly listed rate is used", true}
	FirehoseConversion = Price{0.018, "GB converted to Parquet (billed on ingested GB, 5 KB steps)", "https://aws.amazon.com/kinesis/data-firehose/pricing/",
		"AWS's page (stored German copy) says format conversion is billed on the ingested GB; no stored page shows the figure, the commonly listed rate is used", true}
	LambdaGBs = Price{0.0000133334, "GB-second, arm64", "https://aws.amazon.com/lambda/pricing/",
		"https://cloudchipr.com/blog/aws-lambda-pricing (us-east-1, 2024); the same in https://git.mcrn.ar/mariano/lambda_local_runner docs", false}
	LambdaRequests = Price{0.20, "million requests", "https://aws.amazon.com/lambda/pricing/",
		"https://git.mcrn.ar/mariano/lambda_local_runner docs/lambdas-md/lambda-13-cost.md", false}
	S3Storage = Price{0.023, "GB-month, S3 Standard, first 50 TB", "https://aws.amazon.com/s3/pricing/",
		"no stored page shows the figure; the commonly listed rate is used", true}
	S3Put = Price{0.005, "1,000 PUT requests, S3 Standard", "https://aws.amazon.com/s3/pricing/",
		"no stored page shows the figure; the commonly listed rate is used", true}
	DynamoWrite = Price{0.625, "million write request units, on demand (a transactional write is 2 units an item)", "https://aws.amazon.com/dynamodb/pricing/on-demand/",
		"https://airbyte.com/data-engineering-resources/dynamodb-pricing (2025-07-21; the November 2024 price cut, https://aws.amazon.com/blogs/aws/amazon-dynamodb-on-demand-no-capacity-planning-and-pay-per-request-pricing/, updated 2025-01-31); transactions: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html", false}
	DynamoRead = Price{0.125, "million read request units, on demand (a strongly consistent read up to 4 KB is 1, eventually consistent 0.5)", "https://aws.amazon.com/dynamodb/pricing/on-demand/",
		"https://airbyte.com/data-engineering-resources/dynamodb-pricing (2025-07-21)", false}
	DynamoStorage = Price{0.25, "GB-month, DynamoDB Standard table class", "https://aws.amazon.com/dynamodb/pricing/on-demand/",
		"no stored page shows the figure; the commonly listed rate is used", true}
	HTTPAPI = Price{1.00, "million HTTP API requests, first 300 million", "https://aws.amazon.com/api-gateway/pricing/",
		"https://awsforengineers.com/blog/aws-api-gateway-pricing-explained (2025-05-19)", false}
	AthenaScan = Price{5, "TB scanned (10 MB minimum a query)", "https://aws.amazon.com/athena/pricing/",
		"https://athena.guide/articles/athena-basics-pricing-model/ (2020-10-15); https://rcpedia.stanford.edu/services/athena.html", false}
)

// Free are the resources the stacks create that AWS does not bill, or bills below a cent
// at these populations, with why.
var Free = []struct{ Item, Why string }{
	{"IAM OIDC provider, IAM role and policies, STS AssumeRoleWithWebIdentity (auth)", "IAM and STS carry no charge"},
	{"Cognito identity pool (auth, federation cognito)", "identity pools are not billed per user; no stored page states it, unverified"},
	{"Glue database and table (analytics)", "partition projection stores no partitions; the Data Catalog's first million objects and requests a month are free (https://athena.guide/articles/athena-basics-pricing-model/)"},
	{"SNS alarm topic and e-mail subscription", "a handful of notifications a month"},
	{"CloudWatch Logs subscription filter", "billed on its destination (Firehose), not itself"},
	{"the collector's own log group, the Lambda's and Firehose's error logs", "megabytes a month"},
	{"ALB access logs in S3, data transfer out (OTLP responses), dashboard GetMetricData", "below USD 1 at 10,000 users"},
	{"IAM deny policies and their versions, DynamoDB Streams read by Lambda, EventBridge schedules, SNS notifications (quota)", "IAM carries no charge; Lambda's stream reads are not billed; two schedules and a few notifications a month (schedules and stream reads: no stored page states it, unverified)"},
	{"CloudWatch Logs FilterLogEvents (the quota sweep)", "an API call, not a Logs Insights scan; no stored page prices it, unverified"},
}
