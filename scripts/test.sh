#!/usr/bin/env bash
# Runs every test of every module. The client's keyring tests need a Secret Service: this
# script starts a private D-Bus session with gnome-keyring (unlocked, throwaway password)
# when one is not already there, so `make test` needs nothing running beforehand.
set -euo pipefail
source "$(dirname "$0")/keyring-session.sh"
cd "$(dirname "$0")/.."
export JSII_DEPRECATED=fail

status=0
for m in contract lambda client constructs cdk; do
  echo "=== go test ($m)"
  (cd "$m" && go test -count=1 -timeout 40m "$@" ./...) || status=1
done
exit $status
