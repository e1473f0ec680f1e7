package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
)

// baselineSource is the yardstick: a Go program that reads one file and prints it as JSON.
const baselineSource = `package main

import (
	"encoding/json"
	"os"
)

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(v)
}
`

func buildBaseline(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(baselineSource), 0o600); err != nil {
		b.Fatal(err)
	}
	exe := filepath.Join(dir, "baseline")
	cmd := exec.Command("go", "build", "-o", exe, "main.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GO111MODULE=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build baseline: %v\n%s", err, out)
	}
	return exe
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

func timeRun(b *testing.B, cmd *exec.Cmd) time.Duration {
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v", cmd.Path, err)
	}
	return time.Since(start)
}

// benchCached alternates the baseline and the cached credential process, one each per
// iteration, and reports both medians and their ratio.
func benchCached(b *testing.B, e *env) {
	baseline := buildBaseline(b)
	e.mustCredentials(e.run()) // log in once: from here on every run is the cached path
	sample := filepath.Join(e.home, "sample.json")
	if err := os.WriteFile(sample, []byte(`{"Version":1,"AccessKeyId":"ASIA","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z"}`), 0o600); err != nil {
		b.Fatal(err)
	}
	environ := e.environ()
	var base, ours []time.Duration
	for b.Loop() {
		bc := exec.Command(baseline, sample)
		base = append(base, timeRun(b, bc))
		cc := exec.Command(binary)
		cc.Env = environ
		ours = append(ours, timeRun(b, cc))
	}
	if e.aws.Calls("AssumeRoleWithWebIdentity") != 1 {
		b.Fatalf("the cached path called STS: %d calls", e.aws.Calls("AssumeRoleWithWebIdentity"))
	}
	mb, mo := median(base), median(ours)
	b.ReportMetric(float64(mb.Microseconds())/1000, "baseline-median-ms")
	b.ReportMetric(float64(mo.Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(mo)/float64(mb), "x-baseline")
}

// The hot path with session files: whole-process wall time against the baseline binary.
func BenchmarkCachedSessionFiles(b *testing.B) {
	benchCached(b, newEnv(b))
}

// The hot path with the keyring (a real Secret Service on a private bus).
func BenchmarkCachedKeyring(b *testing.B) {
	bus := idptest.SecretService(b)
	e := newEnv(b, func(_ *idptest.Options, p *config.Profile) { p.CredentialStorage = config.StorageKeyring })
	e.extra = bus
	benchCached(b, e)
}

// A silent refresh: no cached credentials, an expired ID token, a valid refresh token.
func BenchmarkSilentRefresh(b *testing.B) {
	e := newEnv(b, func(o *idptest.Options, _ *config.Profile) { o.IDTokenLifetime = 30 * time.Second })
	runs := uncachedRuns(b, e)
	if e.idp.Logins.Load() != 1 {
		b.Fatalf("logins = %d: a refresh fell back to the browser", e.idp.Logins.Load())
	}
	b.ReportMetric(float64(median(runs).Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(e.idp.Refreshes.Load())/float64(len(runs)), "refreshes/op")
}

// Twenty concurrent invocations on an empty cache: logins and STS calls per batch.
func BenchmarkConcurrentColdInvocations(b *testing.B) {
	const n = 20
	var logins, calls int64
	batches := 0
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b)
		environ := e.environ()
		b.StartTimer()
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				cmd := exec.Command(binary)
				cmd.Env = environ
				errs[i] = cmd.Run()
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				b.Fatalf("invocation %d: %v", i, err)
			}
		}
		logins += e.idp.Logins.Load()
		calls += int64(e.aws.Calls("AssumeRoleWithWebIdentity"))
		batches++
	}
	b.ReportMetric(float64(logins)/float64(batches), "logins/op")
	b.ReportMetric(float64(calls)/float64(batches), "sts-calls/op")
}

// uncachedRuns signs in once, then times whole runs with the cached credentials removed
// before each: the path below the credentials cache.
func uncachedRuns(b *testing.B, e *env) []time.Duration {
	e.mustCredentials(e.run())
	creds := filepath.Join(e.cache, "ccwb", "test", "credentials.json")
	environ := e.environ()
	var runs []time.Duration
	for b.Loop() {
		b.StopTimer()
		if err := os.Remove(creds); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cmd := exec.Command(binary)
		cmd.Env = environ
		runs = append(runs, timeRun(b, cmd))
	}
	return runs
}
