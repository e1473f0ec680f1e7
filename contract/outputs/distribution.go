package outputs

// Distribution stack outputs: where `ccwb distribute` uploads and users download.
const (
	// DistributionBucket is the private bucket of packages and latest.json.
	DistributionBucket = "DistributionBucket"
	// DistributionRegion is the bucket's Region (presigned links and the upgrade check).
	DistributionRegion = "DistributionRegion"
	// LandingPageURL is the landing page's https URL (with the landing page only).
	LandingPageURL = "LandingPageUrl"
)
