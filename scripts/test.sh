#!/usr/bin/env bash
# `make test`: every test of every module of the workspace in one `go test` run, through
# gotestsum: the usual per-package lines while it runs, then each skipped test with its
# reason, each failure, and the closing count ("DONE 1234 tests, 2 skipped in 480s"). A test
# skips only when this machine lacks a tool it needs (contract/testenv); with CI=true that
# fails the test instead, so CI skips nothing. The exit status is go test's. Arguments go to
# go test (e.g. -short, -run Keyring).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/modules.sh
export JSII_DEPRECATED=fail
# The keyring tests start their own private bus and keyring (client/idptest): no test may
# reach the user's own session bus.
unset DBUS_SESSION_BUS_ADDRESS
# gotestsum from the module proxy, built into .cache/bin (cached after the first time).
GOBIN="$PWD/.cache/bin" go install gotest.tools/gotestsum@v1.13.0

exec .cache/bin/gotestsum --format standard-quiet -- -count=1 -timeout 40m "$@" "${modules[@]/%//...}"
