package settings

import "slices"

// Regions are the AWS regions (commercial and GovCloud) where Amazon Bedrock serves
// models. The list is explicit so that a typo fails at synth time, not at deploy time;
// when AWS opens Bedrock in a new region, add it here.
var Regions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
	"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
	"eu-west-1", "eu-west-2", "eu-west-3",
	"ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
	"ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
	"il-central-1", "me-central-1", "me-south-1", "af-south-1",
	"us-gov-east-1", "us-gov-west-1",
}

// CrossRegionProfiles are the inference-profile prefixes Bedrock defines.
var CrossRegionProfiles = []string{"us", "us-gov", "eu", "apac", "jp", "au", "ca", "global"}

// ProfileSourceRegions are, for each geography, the Regions AWS documents as source
// Regions of its cross-Region inference profiles (the union over models: each model's
// profile has its own list). Sources, cited in docs/platform/settings.md: the Bedrock user
// guide's model cards and cross-Region inference pages, and the geographies of the AWS
// CDK's CrossRegionInferenceProfileRegion. A geography missing here ("ca") is not
// documented as a list: only the partition is checked. Global profiles are called from
// any commercial Region.
var ProfileSourceRegions = map[string][]string{
	"us":     {"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1"},
	"us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"eu":     {"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"},
	"apac": {"ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "me-central-1"},
	"jp": {"ap-northeast-1", "ap-northeast-3"},
	"au": {"ap-southeast-2", "ap-southeast-4"},
}

// IsProfileSourceRegion reports whether region may call profile's inference profiles:
// always for in-Region use (""), any commercial Region for global, the documented list
// otherwise.
func IsProfileSourceRegion(profile, region string) bool {
	if profile == "global" {
		return Partition(region) == "aws"
	}
	list, documented := ProfileSourceRegions[profile]
	return !documented || slices.Contains(list, region)
}

func sourceRegionsOf(profile string) []string {
	if profile == "global" {
		return []string{"a commercial (non-GovCloud) Region"}
	}
	return ProfileSourceRegions[profile]
}

// KnownRegion reports whether Bedrock is available in region.
func KnownRegion(region string) bool { return slices.Contains(Regions, region) }

// Partition is the ARN partition of a region: aws-us-gov for GovCloud, aws otherwise.
func Partition(region string) string {
	if len(region) > 7 && region[:7] == "us-gov-" {
		return "aws-us-gov"
	}
	return "aws"
}
