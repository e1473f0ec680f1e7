// Package stacks names the CloudFormation stacks of a deployment: each is
// <deployment name>-<part>, deployed in the order of Parts.
package stacks

// The parts of a deployment, one stack each.
const (
	Auth       = "auth"       // identity federation and the Bedrock role
	Monitoring = "monitoring" // the OpenTelemetry collector, dashboard and alarms
	Analytics  = "analytics"  // Firehose, Parquet in S3, Glue and Athena
	// Distribution is the package bucket and landing page.
	Distribution = "distribution"
)

// Parts are the stack parts in dependency order (deploy in this order, destroy in reverse).
var Parts = []string{Auth, Monitoring, Analytics, Distribution}

// Name is the stack name of one part of the named deployment, e.g. Name("ccwb", Auth) =
// "ccwb-auth".
func Name(deployment, part string) string { return deployment + "-" + part }
