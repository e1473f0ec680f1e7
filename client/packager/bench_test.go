package packager

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// BenchmarkPackage measures a whole package build (5 targets cross-compiled, the
// universal binary, assembly), warm and, with CCWB_BENCH_COLD=1, cold (an empty build
// cache), each beside its baseline: one native `go build` of the credential-process with
// the same cache state. Sizes of the shipped binaries are reported as metrics.
func BenchmarkPackage(b *testing.B) {
	cfg := exampleConfig(b)
	run := func(b *testing.B, cold, baseline bool) {
		for b.Loop() {
			out := b.TempDir()
			var env []string
			if cold {
				env = []string{"GOCACHE=" + filepath.Join(out, "gocache")}
			}
			if baseline {
				cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(out, "credential-process"), "./cmd/credential-process")
				cmd.Dir = moduleDir()
				cmd.Env = append(os.Environ(), append([]string{"CGO_ENABLED=0"}, env...)...)
				if msg, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, msg)
				}
				continue
			}
			bins, err := Compile(context.Background(), CompileOptions{ModuleDir: moduleDir(), Version: "bench", OutDir: filepath.Join(out, "bin"), Jobs: runtime.NumCPU(), Env: env})
			if err != nil {
				b.Fatal(err)
			}
			pkg, err := Assemble(bins, Options{Config: cfg, Claude: exampleClaude, DistDir: filepath.Join(out, "dist"), Now: time.Now()})
			if err != nil {
				b.Fatal(err)
			}
			var total int64
			for _, f := range pkg.Files {
				total += f.Size
				switch f.Path {
				case "bin/linux-amd64/credential-process":
					b.ReportMetric(float64(f.Size)/1e6, "MB-cp-linux-amd64")
				case "bin/darwin-universal/credential-process":
					b.ReportMetric(float64(f.Size)/1e6, "MB-cp-darwin-universal")
				case "bin/windows-amd64/credential-process.exe":
					b.ReportMetric(float64(f.Size)/1e6, "MB-cp-windows-amd64")
				case "bin/linux-amd64/otel-helper":
					b.ReportMetric(float64(f.Size)/1e6, "MB-otel-helper-linux-amd64")
				case "bin/linux-amd64/ccwb-setup":
					b.ReportMetric(float64(f.Size)/1e6, "MB-setup-linux-amd64")
				}
			}
			b.ReportMetric(float64(total)/1e6, "MB-package")
		}
	}
	b.Run("warm/baseline-native-build", func(b *testing.B) { run(b, false, true) })
	b.Run("warm/package-all-targets", func(b *testing.B) { run(b, false, false) })
	if os.Getenv("CCWB_BENCH_COLD") != "1" {
		b.Log("cold builds skipped: set CCWB_BENCH_COLD=1 (minutes on 2 cores)")
		return
	}
	b.Run("cold/baseline-native-build", func(b *testing.B) { run(b, true, true) })
	b.Run("cold/package-all-targets", func(b *testing.B) { run(b, true, false) })
}
