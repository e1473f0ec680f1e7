package stackoutputs

import (
	"fmt"
	"strings"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
)

// quotaProfile adds the quota check service to p when the deployment has quotas: its URL
// from the quota stack, the fail mode from the settings.
func quotaProfile(d *settings.Deployment, o Outputs, p *config.Profile) error {
	if !d.Quota.Enabled {
		return nil
	}
	name := d.StackName(stacks.Quota)
	q, ok := o[name]
	if !ok {
		return fmt.Errorf("quota is enabled but the stack outputs have no %s stack: deploy it with `ccwb deploy`, or turn quota off", name)
	}
	if p.QuotaURL = strings.TrimSpace(q[outputs.QuotaURL]); p.QuotaURL == "" {
		return fmt.Errorf("stack %s lacks the output %s: redeploy it with `ccwb deploy`", name, outputs.QuotaURL)
	}
	p.QuotaFailMode = d.Quota.FailMode
	return nil
}
