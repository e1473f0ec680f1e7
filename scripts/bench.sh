#!/usr/bin/env bash
# `make bench`: every benchmark of every module. Each section measures a part against a
# baseline run beside it, so the figures read as ratios on whatever machine runs them.
# BENCHTIME (default 1x for smoke, e.g. BENCHTIME=2s for real figures) and BENCH (regexp)
# narrow a run. CCWB_BENCH_COLD=1 adds the cold (empty build cache) `ccwb package` build to
# BenchmarkPackage (client/packager): minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime=${BENCHTIME:-1s}
pattern=${BENCH:-.}

if [[ -z "${CCWB_IN_DBUS:-}" ]] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  export CCWB_IN_DBUS=1
  exec dbus-run-session -- "$0" "$@"
fi
if [[ -n "${CCWB_IN_DBUS:-}" ]]; then
  export XDG_DATA_HOME="$(mktemp -d)"
  eval "$(printf 'ccwb-bench\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export CCWB_TEST_SECRET_SERVICE=1
fi

for m in lambda client constructs cdk; do
  echo "=== go test -bench ($m)"
  (cd "$m" && go test -run '^$' -bench "$pattern" -benchtime "$benchtime" -benchmem ./...)
done
