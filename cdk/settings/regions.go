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

// KnownRegion reports whether Bedrock is available in region.
func KnownRegion(region string) bool { return slices.Contains(Regions, region) }

// Partition is the ARN partition of a region: aws-us-gov for GovCloud, aws otherwise.
func Partition(region string) string {
	if len(region) > 7 && region[:7] == "us-gov-" {
		return "aws-us-gov"
	}
	return "aws"
}
