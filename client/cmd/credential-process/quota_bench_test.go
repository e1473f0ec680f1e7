package main

import (
	"testing"

	"ccwb.dev/client/idptest"
)

// benchFederate times the federation path, whole process: no cached credentials, a fresh
// cached ID token (no sign-in, no refresh), one STS call, and with quota one quota check.
func benchFederate(b *testing.B, withQuotaService bool) {
	var e *env
	var q *idptest.QuotaService
	if withQuotaService {
		e, q = quotaEnv(b, false)
	} else {
		e = newEnv(b)
	}
	runs := uncachedRuns(b, e)
	if e.idp.Logins.Load() != 1 || e.idp.Refreshes.Load() != 0 {
		b.Fatalf("logins %d, refreshes %d: the path measured is not federation alone", e.idp.Logins.Load(), e.idp.Refreshes.Load())
	}
	if q != nil && int(q.Calls.Load()) != len(runs)+1 {
		b.Fatalf("%d quota checks for %d runs", q.Calls.Load(), len(runs)+1)
	}
	b.ReportMetric(float64(median(runs).Microseconds())/1000, "median-ms")
}

// BenchmarkFederate is the federation path without quotas; BenchmarkFederateWithQuotaCheck
// the same with the quota check before STS (the added latency is the ratio of the two).
func BenchmarkFederate(b *testing.B)               { benchFederate(b, false) }
func BenchmarkFederateWithQuotaCheck(b *testing.B) { benchFederate(b, true) }
