# Sourced by test.sh and bench.sh (bash). Re-runs the calling script inside a private D-Bus
# session with a fresh gnome-keyring, unlocked with a throwaway password, so the keyring
# tests and benchmarks reach a real Secret Service and never the user's own keyring.
# Without dbus-run-session or gnome-keyring-daemon the script goes on as it is, and the
# keyring tests skip, saying why.
if [[ -z "${CCWB_IN_DBUS:-}" ]] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  export CCWB_IN_DBUS=1
  exec dbus-run-session -- "$0" "$@"
fi
if [[ -n "${CCWB_IN_DBUS:-}" ]]; then
  export XDG_DATA_HOME="$(mktemp -d)"
  eval "$(printf 'ccwb-throwaway\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export CCWB_TEST_SECRET_SERVICE=1
fi
