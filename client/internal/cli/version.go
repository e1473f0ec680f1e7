package cli

import (
	"fmt"
	"io"

	"ccwb.dev/client/internal/profile"
	"ccwb.dev/client/internal/upgrade"
)

// VersionNotes adds to --version what the last upgrade check learnt for the profile (no
// network): the latest published version and, when it is newer, the notice. Without a
// config.json or an upgrade block it says why there is nothing to tell.
func VersionNotes(profileName, version string, stdout io.Writer) {
	cfg, _, err := profile.LoadConfig()
	if err != nil {
		return
	}
	name, p, err := cfg.Profile(profileName)
	if err != nil {
		return
	}
	if p.Upgrade == nil {
		fmt.Fprintf(stdout, "upgrade check: off for profile %s (the deployment has no distribution stack, or turned the check off)\n", name)
		return
	}
	root, err := profile.CacheRoot()
	if err != nil {
		return
	}
	fmt.Fprintln(stdout, upgrade.Describe(profile.UpgradeStatePath(root, name), version))
}
