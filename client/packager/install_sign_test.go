package packager

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
)

// signedPackage is a package install.sh can install on "macOS" (uname says Darwin): shell
// scripts stand in for the binaries, SHA256SUMS covers everything, and with key it carries
// SHA256SUMS.sig made by ssh-keygen -Y sign itself and allowed_signers, as a signed
// package does; without, the UNSIGNED file.
func signedPackage(t *testing.T, key string) string {
	t.Helper()
	files, err := render(templateData{Profile: "P", Config: config.Profile{SessionDurationSeconds: 3600}, Signed: key != ""})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	contents := map[string]string{
		"README.md": "# readme\n", "claude-settings.json": "{}\n", "config.json": "{}\n", "VERSION": "1.0.0\n",
		"bin/" + PlatformMac + "/credential-process": "#!/bin/sh\necho credential-process\n",
		"bin/" + PlatformMac + "/ccwb-setup":         "#!/bin/sh\nexit 0\n",
	}
	if key == "" {
		contents[distribution.UnsignedFile] = unsignedNotice
	}
	for _, f := range files {
		contents[f.path] = string(f.data)
	}
	var sums strings.Builder
	for name, data := range contents {
		writeFile(t, filepath.Join(dir, name), data)
		os.Chmod(filepath.Join(dir, name), 0o755)
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256([]byte(data)), name)
	}
	writeFile(t, filepath.Join(dir, distribution.SumsFile), sums.String())
	if key != "" {
		sshSign(t, key, dir)
	}
	return dir
}

// sshKey makes an ed25519 key with ssh-keygen and returns its private key file.
func sshKey(t *testing.T) string {
	t.Helper()
	key := filepath.Join(t.TempDir(), "release")
	if out, err := exec.Command(lookTool(t, "ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-C", "release", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return key
}

// sshSign signs dir's SHA256SUMS with ssh-keygen -Y sign and writes allowed_signers.
func sshSign(t *testing.T, key, dir string) {
	t.Helper()
	sums := filepath.Join(dir, distribution.SumsFile)
	os.Remove(sums + ".sig")
	if out, err := exec.Command(lookTool(t, "ssh-keygen"), "-Y", "sign", "-f", key, "-n", distribution.SumsNamespace, sums).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(pub))
	writeFile(t, filepath.Join(dir, distribution.AllowedSignersFile),
		fmt.Sprintf("%s namespaces=%q %s %s\n", distribution.SignerIdentity, distribution.SumsNamespace, fields[0], fields[1]))
}

// macPATH is a PATH of the tools install.sh uses, with uname saying Darwin and an xattr
// that records its calls in calls.
func macPATH(t *testing.T, withKeygen bool) (path, calls string) {
	t.Helper()
	dir := t.TempDir()
	names := []string{"dirname", "cut", "grep", "sha256sum", "cp", "chmod", "mv", "mkdir", "cat", "rm", "rmdir"}
	if withKeygen {
		names = append(names, "ssh-keygen")
	}
	for _, n := range names {
		if err := os.Symlink(lookTool(t, n), filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	calls = filepath.Join(t.TempDir(), "xattr-calls")
	writeFile(t, filepath.Join(dir, "uname"), "#!/bin/sh\n[ \"$1\" = -m ] && echo arm64 || echo Darwin\n")
	writeFile(t, filepath.Join(dir, "xattr"), "#!/bin/sh\necho \"xattr $*\" >> '"+calls+"'\n")
	os.Chmod(filepath.Join(dir, "uname"), 0o755)
	os.Chmod(filepath.Join(dir, "xattr"), 0o755)
	return dir, calls
}

func runInstall(t *testing.T, pkg, path, home string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(lookTool(t, "sh"), filepath.Join(pkg, "install.sh"))
	cmd.Env = append([]string{"PATH=" + path, "HOME=" + home}, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// A signed package installs after ssh-keygen verified it, pins its key, and keeps the
// quarantine flag; later packages must carry the same key; an unsigned one says so and
// removes the flag.
func TestInstallScriptVerifiesTheSignature(t *testing.T) {
	key := sshKey(t)
	home := t.TempDir()
	dest := filepath.Join(home, "claude-code-with-bedrock")

	path, calls := macPATH(t, true)
	out, err := runInstall(t, signedPackage(t, key), path, home)
	if err != nil || !strings.Contains(out, "signed by key SHA256:") {
		t.Fatalf("signed install: %v\n%s", err, out)
	}
	if _, err := os.Stat(calls); err == nil {
		t.Errorf("a signed install called xattr (it must keep the quarantine flag):\n%s", readFile(t, "", calls))
	}
	if _, err := os.Stat(filepath.Join(dest, distribution.AllowedSignersFile)); err != nil {
		t.Errorf("the install did not pin the signing key: %v", err)
	}

	for _, tc := range []struct {
		name string
		pkg  func() string
		path string
		env  []string
		want string
	}{
		{"SHA256SUMS changed after signing", func() string {
			dir := signedPackage(t, key)
			writeFile(t, filepath.Join(dir, "config.json"), `{"evil": true}`)
			sums := string(readFile(t, dir, distribution.SumsFile))
			sums = strings.Replace(sums, fmt.Sprintf("%x  config.json", sha256.Sum256([]byte("{}\n"))), fmt.Sprintf("%x  config.json", sha256.Sum256([]byte(`{"evil": true}`))), 1)
			writeFile(t, filepath.Join(dir, distribution.SumsFile), sums)
			return dir
		}, path, nil, "signature does not verify"},
		{"another key than the pinned one", func() string { return signedPackage(t, sshKey(t)) }, path, nil, "signature does not verify"},
		{"unsigned after a signed install", func() string { return signedPackage(t, "") }, path, nil, "UNSIGNED but your earlier install was signed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runInstall(t, tc.pkg(), tc.path, home, tc.env...)
			if err == nil || !strings.Contains(out, tc.want) {
				t.Fatalf("install.sh: %v\n%s\nwant a failure saying %q", err, out, tc.want)
			}
		})
	}

	t.Run("no ssh-keygen", func(t *testing.T) {
		noKeygen, _ := macPATH(t, false)
		fresh := t.TempDir()
		out, err := runInstall(t, signedPackage(t, key), noKeygen, fresh)
		if err == nil || !strings.Contains(out, "ssh-keygen (OpenSSH 8.1 or later) is not installed") {
			t.Fatalf("install.sh without ssh-keygen: %v\n%s", err, out)
		}
		out, err = runInstall(t, signedPackage(t, key), noKeygen, fresh, "CCWB_SKIP_SIGNATURE_CHECK=1")
		if err != nil || !strings.Contains(out, "NOT checked") {
			t.Fatalf("install.sh with CCWB_SKIP_SIGNATURE_CHECK=1: %v\n%s", err, out)
		}
	})

	t.Run("unsigned", func(t *testing.T) {
		path, calls := macPATH(t, true)
		out, err := runInstall(t, signedPackage(t, ""), path, t.TempDir())
		if err != nil || !strings.Contains(out, "this package is UNSIGNED") {
			t.Fatalf("unsigned install: %v\n%s", err, out)
		}
		if got := string(readFile(t, "", calls)); !strings.Contains(got, "xattr -d com.apple.quarantine") {
			t.Errorf("an unsigned install did not remove the quarantine flag: %q", got)
		}
	})
}
