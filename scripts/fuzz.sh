#!/usr/bin/env bash
# `make fuzz`: every fuzz target of every module, each for FUZZTIME (default 10s; go test's
# -fuzztime syntax, e.g. 1m or 5000x). Targets are found, not listed by hand: the packages
# whose test files declare a Fuzz function, then `go test -list '^Fuzz'` names each target.
# A failing input is written to the package's testdata/fuzz/<target>/ (commit it: it becomes
# a regression case of the plain tests) and the script exits non-zero after running the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/modules.sh
fuzztime=${FUZZTIME:-10s}

status=0
ran=0
for m in "${modules[@]}"; do
  # Candidate packages: a test file holding "func Fuzz" (cheap; -list then confirms).
  mapfile -t pkgs < <(cd "$m" && go list -f '{{.ImportPath}} {{.Dir}} {{join .TestGoFiles " "}} {{join .XTestGoFiles " "}}' ./... |
    while read -r pkg dir files; do
      for f in $files; do grep -q '^func Fuzz' "$dir/$f" && { echo "$pkg"; break; }; done
    done)
  for pkg in "${pkgs[@]}"; do
    for target in $(cd "$m" && go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
      echo "=== fuzz $pkg $target ($fuzztime)"
      (cd "$m" && go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg") || status=1
      ran=$((ran + 1))
    done
  done
done
((ran)) || { echo "no fuzz targets found" >&2; exit 1; }
echo "fuzzed $ran targets for $fuzztime each$( ((status)) && echo ': some FAILED (see above)')"
exit $status
