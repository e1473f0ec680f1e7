package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Upgrade is where the credential process looks for a newer package, once a day, right
// after it got fresh credentials (never on the cached path): the deployment's
// distribution bucket, whose latest.json the Bedrock role may read and nothing else of it.
// Absent when the deployment has no distribution stack or turned the check off.
type Upgrade struct {
	Bucket string `json:"bucket"`
	// Key is the object key of latest.json.
	Key    string `json:"key"`
	Region string `json:"region"`
	// LandingURL is where the notice sends users ("" without a landing page).
	LandingURL string `json:"landing_url,omitempty"`
}

func (u *Upgrade) problems() []string {
	if u == nil {
		return nil
	}
	var out []string
	if u.Bucket == "" || strings.ContainsAny(u.Bucket, "/ ") {
		out = append(out, fmt.Sprintf("upgrade.bucket: %q is not an S3 bucket name", u.Bucket))
	}
	if u.Key == "" {
		out = append(out, "upgrade.key: missing")
	}
	if u.Region == "" {
		out = append(out, "upgrade.region: missing")
	}
	if u.LandingURL != "" {
		if p, err := url.Parse(u.LandingURL); err != nil || p.Scheme != "https" || p.Host == "" {
			out = append(out, fmt.Sprintf("upgrade.landing_url: %q is not an https URL", u.LandingURL))
		}
	}
	return out
}
