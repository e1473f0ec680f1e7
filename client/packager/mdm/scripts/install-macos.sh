#!/bin/sh
# MDM (Jamf Pro policy, or any MDM that runs scripts as root): installs Claude Code with
# Amazon Bedrock (profile {{.Profile}}) for the user logged in at the console, silently and
# idempotently: it runs the package's own install.sh as that user, with their HOME, and does
# nothing when their install already has the package's VERSION.
#   $4 (Jamf's first script parameter) or CCWB_PACKAGE_DIR: the unpacked package
#   (default {{.MacPackageDir}}).
#   $5 or CCWB_ALLOWED_SIGNERS: an allowed-signers file that pins your signing key.
set -eu

pkg=${4:-${CCWB_PACKAGE_DIR:-"{{.MacPackageDir}}"}}
signers=${5:-${CCWB_ALLOWED_SIGNERS:-}}
[ -f "$pkg/install.sh" ] || { echo "ccwb: no package at $pkg (install.sh missing)" >&2; exit 1; }

user=$(stat -f %Su /dev/console 2>/dev/null || true)
case $user in
"" | root | loginwindow | _mbsetupuser)
	echo "ccwb: nobody is logged in at the console; run this again at login"
	exit 0
	;;
esac
home=$(dscl . -read "/Users/$user" NFSHomeDirectory | sed 's/^NFSHomeDirectory: *//')
[ -d "$home" ] || { echo "ccwb: $user has no home folder ($home)" >&2; exit 1; }

want=$(cat "$pkg/{{.VersionFile}}")
have=$(cat "$home/{{.InstallDir}}/{{.VersionFile}}" 2>/dev/null || true)
if [ "$want" = "$have" ]; then
	echo "ccwb: $user already has $want"
	exit 0
fi
launchctl asuser "$(id -u "$user")" sudo -u "$user" env HOME="$home" CCWB_NONINTERACTIVE=1 \
	${signers:+"CCWB_ALLOWED_SIGNERS=$signers"} sh "$pkg/install.sh"
echo "ccwb: installed $want for $user"
