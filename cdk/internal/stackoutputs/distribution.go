package stackoutputs

import (
	"fmt"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
)

// upgrade is where the profile's upgrade notice looks: the distribution stack's bucket,
// when the deployment has one and keeps the daily check on; nil otherwise.
func upgrade(d *settings.Deployment, o Outputs) (*config.Upgrade, error) {
	x := d.Distribution
	if !x.Enabled || x.UpgradeCheck != settings.UpgradeCheckDaily {
		return nil, nil
	}
	name := d.StackName(stacks.Distribution)
	st, ok := o[name]
	if !ok {
		return nil, fmt.Errorf("distribution is enabled but the stack outputs have no %s stack: deploy it with `ccwb deploy`, or set distribution.upgrade_check to %q", name, settings.UpgradeCheckOff)
	}
	u := &config.Upgrade{Bucket: st[outputs.DistributionBucket], Key: distribution.LatestKey, Region: st[outputs.DistributionRegion], LandingURL: st[outputs.LandingPageURL]}
	if u.Bucket == "" || u.Region == "" {
		return nil, fmt.Errorf("stack %s lacks the outputs %s and %s: redeploy it with `ccwb deploy`", name, outputs.DistributionBucket, outputs.DistributionRegion)
	}
	return u, nil
}
