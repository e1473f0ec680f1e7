package main

import (
	"strings"
	"testing"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/quota"
)

// quotaEnv is a user whose profile checks the quota service returned (fail mode closed when
// closed).
func quotaEnv(t testing.TB, closed bool) (*env, *idptest.QuotaService) {
	e := newEnv(t)
	q := idptest.NewQuotaService(t, e.idp)
	e.profile.QuotaURL = q.URL
	if closed {
		e.profile.QuotaFailMode = config.QuotaFailClosed
	}
	e.writeConfig(&config.File{Profiles: map[string]config.Profile{"test": e.profile}})
	return e, q
}

var (
	warned = quota.Verdict{Decision: quota.Warned, Metric: quota.USD, Period: quota.Monthly, Limit: 100, Usage: 85.2, Unit: "USD", Percent: 85.2, ResetsAt: "2027-01-01T00:00:00Z"}
	over   = quota.Verdict{Decision: quota.Blocked, Metric: quota.USD, Period: quota.Monthly, Limit: 100, Usage: 101.2, Unit: "USD", Percent: 101.2, ResetsAt: "2027-01-01T00:00:00Z"}
)

func TestQuotaAllowedThenCached(t *testing.T) {
	t.Parallel()
	e, q := quotaEnv(t, false)
	r := e.run()
	e.mustCredentials(r)
	if q.Calls.Load() != 1 || strings.Join(q.Subjects(), ",") != idptest.DefaultUser.Subject {
		t.Errorf("checks %d for %v, want one for the signed-in subject (verified as the JWT authorizer does)", q.Calls.Load(), q.Subjects())
	}
	if strings.Contains(r.stderr, "quota") {
		t.Errorf("an allowed check printed: %s", r.stderr)
	}
	// The cached path makes no quota call, even when the service would block now.
	q.Set(over)
	e.mustCredentials(e.run())
	if q.Calls.Load() != 1 {
		t.Errorf("the cached run called the quota service (%d calls)", q.Calls.Load())
	}
}

func TestQuotaWarned(t *testing.T) {
	t.Parallel()
	e, q := quotaEnv(t, false)
	q.Set(warned)
	r := e.run()
	e.mustCredentials(r)
	want := "ccwb: 85% of your monthly limit used (USD 85.20 of USD 100.00); it resets 2027-01-01 00:00 UTC\n"
	if strings.Count(r.stderr, want) != 1 || strings.Count(r.stderr, "limit") != 1 {
		t.Errorf("stderr, want exactly the one warning line:\n%s", r.stderr)
	}
}

func TestQuotaBlocked(t *testing.T) {
	t.Parallel()
	e, q := quotaEnv(t, false)
	q.Set(over)
	r := e.run()
	e.mustFail(r, 1, "Claude Code is blocked: your monthly limit of USD 100.00 is reached (USD 101.20 used); it resets 2027-01-01 00:00 UTC. Ask your administrator to raise it.")
	if n := e.aws.Calls("AssumeRoleWithWebIdentity"); n != 0 {
		t.Errorf("a blocked user was federated (%d STS calls)", n)
	}
}

func TestQuotaServiceDown(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		closed bool
	}{{"fail open", false}, {"fail closed", true}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e, q := quotaEnv(t, c.closed)
			q.Fail(503)
			r := e.run()
			if !c.closed {
				e.mustCredentials(r)
				if !strings.Contains(r.stderr, "ccwb: the quota service did not answer (HTTP 503); continuing without the check") {
					t.Errorf("fail open: stderr lacks the notice:\n%s", r.stderr)
				}
				return
			}
			e.mustFail(r, 1, "the quota service at "+q.URL+" did not answer (HTTP 503), and this deployment gives no credentials without it (quota_fail_mode closed)")
			if e.aws.Calls("AssumeRoleWithWebIdentity") != 0 {
				t.Error("fail closed federated anyway")
			}
		})
	}
	// Nothing listening at all: the same as a failing service.
	e := newEnv(t)
	e.profile.QuotaURL, e.profile.QuotaFailMode = "https://127.0.0.1:1"+quota.CheckPath, config.QuotaFailClosed
	e.writeConfig(&config.File{Profiles: map[string]config.Profile{"test": e.profile}})
	e.mustFail(e.run(), 1, "did not answer")
}
