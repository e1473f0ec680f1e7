#!/bin/sh
# Installs Claude Code with Amazon Bedrock (profile {{.Profile}}) for this user.
#   ./install.sh              install, or update an earlier install
#   ./install.sh --uninstall  remove it again
# POSIX sh; needs nothing but the files next to it. CCWB_INSTALL_DIR overrides the
# install directory (default ~/claude-code-with-bedrock).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dest=${CCWB_INSTALL_DIR:-$HOME/claude-code-with-bedrock}
files="credential-process otel-helper ccwb-setup"
data="config.json claude-settings.json README.md"

die() { echo "install.sh: $*" >&2; exit 1; }

if [ "${1:-}" = "--uninstall" ]; then
	if [ -x "$dest/ccwb-setup" ] && [ -f "$dest/installed.json" ]; then
		"$dest/ccwb-setup" uninstall --dir "$dest"
	fi
	for f in $files $data installed.json; do
		rm -f "$dest/$f"
	done
	rmdir "$dest" 2>/dev/null || echo "kept $dest: it holds files the installer did not put there" >&2
	echo "Uninstalled Claude Code with Amazon Bedrock (profile {{.Profile}})."
	exit 0
fi

os=$(uname -s)
cpu=$(uname -m)
case $os in
Darwin) platform={{.MacPlatform}} ;;
Linux)
	case $cpu in
	x86_64 | amd64) platform=linux-amd64 ;;
	aarch64 | arm64) platform=linux-arm64 ;;
	*) die "no build for Linux on $cpu (there are amd64 and arm64 builds)" ;;
	esac
	;;
MINGW* | MSYS* | CYGWIN*) die "on Windows, run install.bat instead" ;;
*) die "no build for $os (macOS, Linux and Windows are supported)" ;;
esac

if [ $# -gt 0 ]; then
	die "unknown argument $1 (use --uninstall, or no argument to install)"
fi

# Check the package against SHA256SUMS; without a checksum tool, install nothing.
if command -v sha256sum >/dev/null 2>&1; then
	sha256="sha256sum"
elif command -v shasum >/dev/null 2>&1; then
	sha256="shasum -a 256"
else
	die "cannot check the package against SHA256SUMS: neither sha256sum nor shasum is installed. Install one (Linux: the coreutils package; macOS: shasum comes with the system) and run install.sh again"
fi
(cd "$here" && $sha256 -c SHA256SUMS >/dev/null) || die "the package is damaged (SHA256SUMS mismatch): download it again"
# Every file this script copies must be one that was checked.
checked=$(cut -c67- "$here/SHA256SUMS")
listed() {
	printf '%s\n' "$checked" | grep -qxF "$1" || die "the package is damaged ($1 is not listed in SHA256SUMS): download it again"
}
for f in $data; do listed "$f"; done
for f in $files; do [ ! -f "$here/bin/$platform/$f" ] || listed "bin/$platform/$f"; done

[ -x "$here/bin/$platform/credential-process" ] || die "the package has no $platform build"
mkdir -p "$dest"
for f in $files; do
	src=$here/bin/$platform/$f
	[ -f "$src" ] || continue
	# Copy then rename: a running credential-process keeps its old file.
	cp "$src" "$dest/.$f.new"
	chmod 755 "$dest/.$f.new"
	mv -f "$dest/.$f.new" "$dest/$f"
	if [ "$os" = Darwin ]; then
		xattr -d com.apple.quarantine "$dest/$f" 2>/dev/null || true
	fi
done
for f in $data; do
	cp "$here/$f" "$dest/.$f.new"
	chmod 644 "$dest/.$f.new"
	mv -f "$dest/.$f.new" "$dest/$f"
done

"$dest/ccwb-setup" install --dir "$dest"

cat <<DONE
Installed Claude Code with Amazon Bedrock in $dest.
The AWS CLI profile is {{.Profile}}; Claude Code is set up to use it.
Next: run \`claude\`. The first request opens your browser to sign in.
Check the sign-in any time with: aws sts get-caller-identity --profile {{.Profile}}
DONE
