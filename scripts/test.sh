#!/usr/bin/env bash
# Runs every test of every module. The client's keyring tests need a Secret Service: this
# script starts a private D-Bus session with gnome-keyring (unlocked, throwaway password)
# when one is not already there, so `make test` needs nothing running beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_DEPRECATED=fail

if [[ -z "${CCWB_IN_DBUS:-}" ]] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  export CCWB_IN_DBUS=1
  exec dbus-run-session -- "$0" "$@"
fi
if [[ -n "${CCWB_IN_DBUS:-}" ]]; then
  # A fresh keyring in a temp home, unlocked with a throwaway password.
  export XDG_DATA_HOME="$(mktemp -d)"
  eval "$(printf 'ccwb-test\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export CCWB_TEST_SECRET_SERVICE=1
fi

status=0
for m in lambda client constructs cdk; do
  echo "=== go test ($m)"
  (cd "$m" && go test -count=1 -timeout 40m "$@" ./...) || status=1
done
exit $status
