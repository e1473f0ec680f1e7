# Sourced by test.sh, bench.sh and fuzz.sh (bash) from the project root: the workspace's
# modules, as go.work lists them, in the array `modules` (./cdk ./client ...).
mapfile -t modules < <(go list -m -f '{{.Dir}}' | sed "s|^$PWD/|./|")
((${#modules[@]})) || { echo "no modules: run from the ccwb project (go.work)" >&2; exit 1; }
