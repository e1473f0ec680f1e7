// Package doctortest is test support for the doctors' table tests: certificates that expire
// soon, and the rule that a broken link fails its own check only.
package doctortest

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

	report "ccwb.dev/contract/doctor"
	"ccwb.dev/contract/testenv"
)

// Certificate is a self-signed certificate for 127.0.0.1 that expires in d
// (testenv.Certificate).
func Certificate(t testing.TB, d time.Duration) *tls.Certificate {
	t.Helper()
	cert, _ := testenv.Certificate(t, d)
	return &cert
}

// OnlyBroken checks a run's results (by check name) where one link was broken: check has
// status want and its line (detail and fix) names fix; every other check passes or is
// skipped, and when first is broken (the config or settings check) all others are skipped.
// An empty check means nothing is broken.
func OnlyBroken(t *testing.T, results map[string]report.Result, check, first string, want report.Status, fix string) {
	t.Helper()
	for name, r := range results {
		switch {
		case name == check:
			if r.Status != want || r.Fix == "" || !strings.Contains(r.Detail+" "+r.Fix, fix) {
				t.Errorf("%s: %s %q, fix %q; want %s with a fix about %q", name, r.Status, r.Detail, r.Fix, want, fix)
			}
		case check == first && check != "":
			if r.Status != report.Skip {
				t.Errorf("%s ran without a usable %s: %+v", name, first, r)
			}
		case r.Status != report.Pass && r.Status != report.Skip:
			t.Errorf("%s: %s %q (fix %q), though only %q is broken", name, r.Status, r.Detail, r.Fix, check)
		}
	}
}
