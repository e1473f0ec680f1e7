package signtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/testenv"
)

// VerifyAuthenticode has osslsigncode check a signed Windows executable against caFile.
// Only run it on files the test just signed: older osslsigncode releases mishandled
// hostile input.
func VerifyAuthenticode(t testing.TB, exe []byte, caFile string) error {
	t.Helper()
	tool := testenv.Need(t, "osslsigncode", "apt-get install osslsigncode (.ci/run does)")
	path := filepath.Join(t.TempDir(), "signed.exe")
	write(t, path, exe)
	out, err := exec.Command(tool, "verify", "-CAfile", caFile, "-in", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("osslsigncode verify: %v\n%s", err, out)
	}
	return nil
}

// VerifySums has ssh-keygen -Y verify check a SHA256SUMS signature against an
// allowed-signers file, as the installers do.
func VerifySums(t testing.TB, sums, signature, allowedSigners []byte) error {
	t.Helper()
	tool := testenv.Need(t, "ssh-keygen", "apt-get install openssh-client")
	dir := t.TempDir()
	sig, allowed := filepath.Join(dir, distribution.SumsSignatureFile), filepath.Join(dir, distribution.AllowedSignersFile)
	write(t, sig, signature)
	write(t, allowed, allowedSigners)
	cmd := exec.Command(tool, "-Y", "verify", "-f", allowed, "-I", distribution.SignerIdentity, "-n", distribution.SumsNamespace, "-s", sig)
	in, err := os.CreateTemp(dir, "sums")
	if err != nil {
		t.Fatal(err)
	}
	in.Write(sums)
	in.Seek(0, 0)
	cmd.Stdin = in
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("ssh-keygen -Y verify: %v\n%s", err, out)
	}
	return nil
}
