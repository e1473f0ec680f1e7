package main

import (
	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/distribution"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// landingPackage is the Lambda function behind the landing page's sign-in.
const landingPackage = "ccwb.dev/lambda/landing-page"

// distributionStack is <name>-distribution: the bucket `ccwb distribute` uploads packages
// to, the Bedrock role's read of latest.json (the upgrade notice), and optionally the
// landing page. It exists when distribution.enabled is set.
type distributionStack struct {
	awscdk.Stack
	Distribution *distribution.Distribution
	Landing      *distribution.Landing // nil without the landing page
}

func newDistributionStack(app awscdk.App, dep *deployment) *distributionStack {
	d := dep.settings
	x := d.Distribution
	if !x.Enabled {
		return nil
	}
	stack := newStack(app, d, stacks.Distribution, "distribution of the Claude Code end-user packages: private bucket and landing page")
	l := x.LandingPage
	dist := distribution.NewDistribution(stack, "Distribution", &distribution.DistributionProps{
		Encryption: x.Encryption, NoncurrentRetentionDays: x.NoncurrentRetentionDays, LogRetentionDays: l.LogRetentionDays,
	})
	if x.UpgradeCheck == settings.UpgradeCheckDaily {
		dist.GrantLatestRead(dep.auth.Auth.Role)
	}
	out := &distributionStack{Stack: stack, Distribution: dist}
	output(stack, outputs.DistributionBucket, dist.Bucket.BucketName(), "private bucket of the end-user packages (ccwb distribute)")
	output(stack, outputs.DistributionRegion, stack.Region(), "Region of the distribution bucket")
	if l.Enabled {
		out.Landing = distribution.NewLanding(stack, "Landing", &distribution.LandingProps{
			Distribution: dist, Code: lambdaCode(app, landingPackage),
			Issuer: dep.issuer, ClientID: l.ClientID, ClientSecretARN: l.ClientSecretARN,
			AuthorizationEndpoint: l.AuthorizationEndpoint, TokenEndpoint: l.TokenEndpoint, UserInfoEndpoint: l.UserInfoEndpoint,
			DomainName: l.DomainName, CertificateARN: l.CertificateARN, HostedZoneID: l.HostedZoneID,
			VPCID: l.VPCID, SubnetIDs: l.SubnetIDs,
			SessionTimeoutSeconds: l.SessionTimeoutSeconds(), LogRetentionDays: l.LogRetentionDays,
		})
		untagged(out.Landing.Construct, d.Tags)
		output(stack, outputs.LandingPageURL, out.Landing.URL, "landing page: users sign in and download the package for their platform")
	}
	return out
}
