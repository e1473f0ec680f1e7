package stackoutputs

import (
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/distribution"
)

// The upgrade block comes from the distribution stack's outputs, only with the daily check on.
func TestUpgradeFromTheDistributionStack(t *testing.T) {
	o, err := Read("testdata/example-outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	d := example(t)
	p, err := Profile(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if u := p.Upgrade; u == nil || u.Key != distribution.LatestKey || u.Bucket != o["ccwb-distribution"]["DistributionBucket"] || u.LandingURL != "https://claude.example.com/" {
		t.Fatalf("upgrade = %+v, want the distribution stack's bucket and landing page", p.Upgrade)
	}
	d.Distribution.UpgradeCheck = settings.UpgradeCheckOff
	if p, _ := Profile(d, o); p.Upgrade != nil {
		t.Errorf("upgrade_check off still writes %+v", p.Upgrade)
	}
	d.Distribution.UpgradeCheck = settings.UpgradeCheckDaily
	delete(o, "ccwb-distribution")
	if _, err := Profile(d, o); err == nil || !strings.Contains(err.Error(), "no ccwb-distribution stack") {
		t.Errorf("missing distribution stack: %v", err)
	}
}
