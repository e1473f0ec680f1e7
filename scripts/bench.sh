#!/usr/bin/env bash
# `make bench`: every benchmark of every module. Each section measures a part against a
# baseline run beside it, so the figures read as ratios on whatever machine runs them.
# BENCHTIME (default 1s; e.g. BENCHTIME=200x for steadier figures) and BENCH (regexp)
# narrow a run. CCWB_BENCH_COLD=1 adds the cold (empty build cache) `ccwb package` build to
# BenchmarkPackage (client/packager): minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/modules.sh
# The keyring benchmarks start their own private bus (client/idptest), never the user's.
unset DBUS_SESSION_BUS_ADDRESS
benchtime=${BENCHTIME:-1s}
pattern=${BENCH:-.}

for m in "${modules[@]}"; do
  echo "=== go test -bench ($m)"
  (cd "$m" && go test -run '^$' -bench "$pattern" -benchtime "$benchtime" -benchmem ./...)
done
