// Package cputime reports the CPU time the process has used, so benchmarks on a shared
// machine can state cost per operation independent of how busy the other cores are.
package cputime

import (
	"syscall"
	"testing"
	"time"
)

// Used returns the user plus system CPU time of the whole process (all threads, GC too).
func Used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Report adds two metrics to b: CPU ms per operation and MB of input per CPU second,
// measured from start (taken just before the loop) to now.
func Report(b *testing.B, start time.Duration, bytesPerOp int) {
	cpu := Used() - start
	if cpu <= 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(bytesPerOp)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
}
