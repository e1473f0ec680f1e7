// Package doctor runs health checks and renders them: each check bounded in time and run
// beside the others, one line each (PASS, WARN, FAIL or SKIP, what was found, and the fix),
// or the JSON report of contract/doctor, and a support bundle with secrets removed. Both
// doctors use it: the end user's (credential-process --doctor) and the platform team's (ccwb
// doctor), so this package links nothing heavy.
package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	report "ccwb.dev/contract/doctor"
)

// Check is one named check.
type Check struct {
	Name string
	// Run returns what it found; a check not done within report.ProbeTimeout (ctx ends)
	// fails as unanswered.
	Run func(ctx context.Context) Result
}

// Result is what a check found; Fix is required for WARN and FAIL.
type Result struct {
	Status      report.Status
	Detail, Fix string
}

// Pass, Warn, Fail and Skip make results.
func Pass(format string, args ...any) Result {
	return Result{Status: report.Pass, Detail: fmt.Sprintf(format, args...)}
}
func Skip(format string, args ...any) Result {
	return Result{Status: report.Skip, Detail: fmt.Sprintf(format, args...)}
}
func Warn(fix, format string, args ...any) Result {
	return Result{Status: report.Warn, Detail: fmt.Sprintf(format, args...), Fix: fix}
}
func Fail(fix, format string, args ...any) Result {
	return Result{Status: report.Fail, Detail: fmt.Sprintf(format, args...), Fix: fix}
}

// Run runs the checks at once, each bounded by report.ProbeTimeout, and returns their
// results in the checks' order.
func Run(ctx context.Context, checks []Check) []report.Result {
	out := make([]report.Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { out[i] = runOne(ctx, c) })
	}
	wg.Wait()
	return out
}

func runOne(ctx context.Context, c Check) report.Result {
	ctx, cancel := context.WithTimeout(ctx, report.ProbeTimeout)
	defer cancel()
	start := time.Now()
	done := make(chan Result, 1)
	go func() { done <- c.Run(ctx) }()
	var r Result
	select {
	case r = <-done:
	case <-ctx.Done():
		r = Fail("check the network (proxy, VPN, firewall) to what it probes, then run the doctor again", "no answer within %s", report.ProbeTimeout)
	}
	return report.Result{Check: c.Name, Status: r.Status, Detail: r.Detail, Fix: r.Fix, DurationMS: time.Since(start).Milliseconds()}
}

// NewReport wraps results for tool and version.
func NewReport(tool, version string, results []report.Result) report.Report {
	return report.Report{Tool: tool, Version: version, Time: time.Now().UTC(), OS: runtime.GOOS, Arch: runtime.GOARCH, Results: results}
}

// WriteText prints one line per check: status, name, what was found, and the fix.
func WriteText(w io.Writer, r report.Report) error {
	width := 0
	for _, c := range r.Results {
		width = max(width, len(c.Check))
	}
	for _, c := range r.Results {
		line := fmt.Sprintf("%-4s  %-*s  %s", c.Status, width, c.Check, c.Detail)
		if c.Fix != "" {
			line += " — fix: " + c.Fix
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON prints the report as indented JSON.
func WriteJSON(w io.Writer, r report.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
