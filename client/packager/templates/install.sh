#!/bin/sh
# Installs Claude Code with Amazon Bedrock (profile {{.Profile}}) for this user.
#   ./install.sh              install, or update an earlier install
#   ./install.sh --uninstall  remove it again
# POSIX sh; needs nothing but the files next to it, a checksum tool (sha256sum or shasum)
# and, for a signed package, ssh-keygen (OpenSSH 8.1 or later). CCWB_INSTALL_DIR overrides
# the install directory (default ~/{{.InstallDir}}); CCWB_ALLOWED_SIGNERS names the
# allowed-signers file to check the signature against (MDM); CCWB_NONINTERACTIVE=1 is quiet.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dest=${CCWB_INSTALL_DIR:-$HOME/{{.InstallDir}}}
files="{{join .Commands " "}}"
data="{{join .DataFiles " "}}"

die() { echo "install.sh: $*" >&2; exit 1; }
say() { [ "${CCWB_NONINTERACTIVE:-}" = 1 ] || echo "install.sh: $*" >&2; }

# verify_signature checks SHA256SUMS.sig with ssh-keygen against the key the last install
# pinned (or CCWB_ALLOWED_SIGNERS), else the package's own on a first install (trust on first
# use: the fingerprint is printed, to compare with the download page). It sets signed and
# signers. A package without a signature installs only where no signed one did before.
verify_signature() {
	signed= signers=${CCWB_ALLOWED_SIGNERS:-} first=
	if [ ! -f "$here/{{.SumsSignatureFile}}" ]; then
		if [ -z "$signers" ] && [ -f "$dest/{{.AllowedSignersFile}}" ]; then
			die "this package is UNSIGNED but your earlier install was signed: download the signed package from your platform team (or uninstall first with ./install.sh --uninstall)"
		fi
		say "this package is UNSIGNED (see the {{.UnsignedFile}} file): its checksums show that it is whole, not who built it"
		return 0
	fi
	signed=1
	if [ -z "$signers" ] && [ -f "$dest/{{.AllowedSignersFile}}" ]; then signers=$dest/{{.AllowedSignersFile}}; fi
	if [ -z "$signers" ]; then signers=$here/{{.AllowedSignersFile}} first=1; fi
	[ -f "$signers" ] || die "the package is signed but $signers is missing: download it again"
	if ! command -v ssh-keygen >/dev/null 2>&1; then
		[ "${CCWB_SKIP_SIGNATURE_CHECK:-}" = 1 ] || die "cannot check the package's signature: ssh-keygen (OpenSSH 8.1 or later) is not installed. Install it (Linux: the openssh-client package; macOS comes with it), or set CCWB_SKIP_SIGNATURE_CHECK=1 to install without the check"
		echo "install.sh: warning: the signature of {{.SumsFile}} is NOT checked (CCWB_SKIP_SIGNATURE_CHECK=1)" >&2
		return 0
	fi
	ssh-keygen -Y verify -f "$signers" -I {{.SignerIdentity}} -n {{.SumsNamespace}} -s "$here/{{.SumsSignatureFile}}" <"$here/{{.SumsFile}}" >/dev/null 2>&1 ||
		die "the package's signature does not verify against $signers: the package was changed after signing, or another key signed it than the one your earlier install trusted (or ssh-keygen is older than OpenSSH 8.1). Download it again from your platform team; if they changed keys, uninstall first (./install.sh --uninstall)"
	if [ -n "$first" ]; then
		fp=$(cut -d' ' -f3- "$signers" | ssh-keygen -l -f /dev/stdin 2>/dev/null | cut -d' ' -f2)
		echo "install.sh: signed by key $fp; compare it with the fingerprint on your platform team's download page. Later installs accept only this key." >&2
	fi
}

if [ "${1:-}" = "--uninstall" ]; then
	if [ -x "$dest/{{.Setup}}" ] && [ -f "$dest/{{.StateFile}}" ]; then
		"$dest/{{.Setup}}" uninstall --dir "$dest"
	fi
	for f in $files $data {{.StateFile}} {{.AllowedSignersFile}}; do
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
	x86_64 | amd64) platform={{.Platform "linux" "amd64"}} ;;
	aarch64 | arm64) platform={{.Platform "linux" "arm64"}} ;;
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
	die "cannot check the package against {{.SumsFile}}: neither sha256sum nor shasum is installed. Install one (Linux: the coreutils package; macOS: shasum comes with the system) and run install.sh again"
fi
(cd "$here" && $sha256 -c {{.SumsFile}} >/dev/null) || die "the package is damaged ({{.SumsFile}} mismatch): download it again"
# Every file this script copies must be one that was checked.
checked=$(cut -c67- "$here/{{.SumsFile}}")
listed() {
	printf '%s\n' "$checked" | grep -qxF "$1" || die "the package is damaged ($1 is not listed in {{.SumsFile}}): download it again"
}
for f in $data; do listed "$f"; done
for f in $files; do [ ! -f "$here/bin/$platform/$f" ] || listed "bin/$platform/$f"; done

verify_signature

[ -x "$here/bin/$platform/{{.CredentialProcess}}" ] || die "the package has no $platform build"
mkdir -p "$dest"
for f in $files; do
	src=$here/bin/$platform/$f
	[ -f "$src" ] || continue
	# Copy then rename: a running credential-process keeps its old file.
	cp "$src" "$dest/.$f.new"
	chmod 755 "$dest/.$f.new"
	mv -f "$dest/.$f.new" "$dest/$f"
	# Only an unsigned build loses the quarantine flag: a signed, notarized one keeps it, so
	# that Gatekeeper checks it on first run.
	if [ "$os" = Darwin ] && [ -z "$signed" ]; then
		xattr -d com.apple.quarantine "$dest/$f" 2>/dev/null || true
	fi
done
if [ -n "$signed" ] && [ "$signers" != "$dest/{{.AllowedSignersFile}}" ]; then
	cp "$signers" "$dest/.{{.AllowedSignersFile}}.new"
	mv -f "$dest/.{{.AllowedSignersFile}}.new" "$dest/{{.AllowedSignersFile}}"
fi
for f in $data; do
	cp "$here/$f" "$dest/.$f.new"
	chmod 644 "$dest/.$f.new"
	mv -f "$dest/.$f.new" "$dest/$f"
done

"$dest/{{.Setup}}" install --dir "$dest"

cat <<DONE
Installed Claude Code with Amazon Bedrock in $dest.
The AWS CLI profile is {{.Profile}}; Claude Code is set up to use it.
Next: run \`claude\`. The first request opens your browser to sign in.
Check the sign-in any time with: aws sts get-caller-identity --profile {{.Profile}}
DONE
