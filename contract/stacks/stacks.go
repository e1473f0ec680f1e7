// Package stacks names the CloudFormation stacks of a deployment: each is
// <deployment name>-<part>, deployed in the order of Parts.
package stacks

// The parts of a deployment, one stack each.
const (
	Auth         = "auth"         // identity federation and the Bedrock role
	Monitoring   = "monitoring"   // the OpenTelemetry collector, dashboard and alarms
	Analytics    = "analytics"    // Firehose, Parquet in S3, Glue and Athena
	Quota        = "quota"        // spend control: usage from invocation logs, limits, the deny policies
	Distribution = "distribution" // the package bucket, its landing page and latest.json
)

// Parts are the stack parts in dependency order (deploy in this order, destroy in reverse).
var Parts = []string{Auth, Monitoring, Analytics, Quota, Distribution}

// Name is the stack name of one part of the named deployment, e.g. Name("ccwb", Auth) =
// "ccwb-auth".
func Name(deployment, part string) string { return deployment + "-" + part }

// RegionalName is the stack of a part's resources in another Region than the deployment's,
// e.g. RegionalName("ccwb", Quota, "us-west-2") = "ccwb-quota-us-west-2" (the quota
// collector of a source Region).
func RegionalName(deployment, part, region string) string {
	return Name(deployment, part) + "-" + region
}
