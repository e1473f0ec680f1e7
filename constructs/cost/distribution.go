package cost

import (
	"ccwb.dev/constructs/monitoring"
	"ccwb.dev/contract/stacks"
)

// packageGB is one package version kept in the distribution bucket (the binaries of every
// platform, the directory's archives) times the versions noncurrent retention keeps.
const packageGB = 0.04 * 3 * 4

// distribution prices the distribution stack of the committed example: the bucket and the
// landing page's load balancer (its capacity units and the function's invocations are a
// few downloads per user a month: below a cent).
func (m *Model) distribution(est *Estimate) {
	add := func(item string, usd float64) { est.Lines = append(est.Lines, Line{stacks.Distribution, item, usd}) }
	add("Landing page load balancer hours", hoursPerMonth*ALBHour.USD)
	add("Public IPv4 addresses (landing page load balancer nodes)", monitoring.AvailabilityZones*hoursPerMonth*PublicIPv4.USD)
	add("S3: packages (four versions kept)", packageGB*S3Storage.USD)
}
