package signing

import (
	"bytes"
	"context"
	"debug/macho"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccwb.dev/cdk/internal/signing/signtest"
	"ccwb.dev/client/packager"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/testenv"
)

// A package built with the Signer: every macOS slice and Windows executable verifies with
// openssl and osslsigncode, SHA256SUMS.sig with ssh-keygen, no UNSIGNED file, and its
// install.sh installs it on this machine after checking the signature.
func TestSignedPackage(t *testing.T) {
	testenv.Slow(t, "cross-compiles and signs the whole client")
	s, id := signer(t)
	f, err := os.Open(filepath.Join(testenv.Root(t), "client", "packager", "testdata", "example-config.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := config.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := packager.Build(context.Background(), packager.BuildOptions{
		ModuleDir: filepath.Join(testenv.Root(t), "client"), Version: "1.0.0-signed", Jobs: 2,
		Package: packager.Options{Config: cfg, DistDir: t.TempDir(), Now: time.Now(), Signer: s},
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join(pkg.Dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := os.Stat(filepath.Join(pkg.Dir, distribution.UnsignedFile)); err == nil {
		t.Error("a signed package carries the UNSIGNED file")
	}
	if err := signtest.VerifySums(t, read(distribution.SumsFile), read(distribution.SumsSignatureFile), read(distribution.AllowedSignersFile)); err != nil {
		t.Error(err)
	}
	for _, file := range pkg.Files {
		switch {
		case strings.HasPrefix(file.Path, "bin/"+packager.PlatformMac+"/"):
			fat, err := macho.NewFatFile(bytes.NewReader(read(file.Path)))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range fat.Arches {
				sig, err := signtest.ReadSignature(read(file.Path)[a.Offset : a.Offset+a.Size])
				if err == nil {
					err = sig.VerifyCMS(t, id.CAFile)
				}
				if err != nil {
					t.Errorf("%s (%v): %v", file.Path, a.Cpu, err)
				}
			}
		case strings.HasSuffix(file.Path, ".exe"):
			if err := signtest.VerifyAuthenticode(t, read(file.Path), id.CAFile); err != nil {
				t.Errorf("%s: %v", file.Path, err)
			}
		}
	}
	home := t.TempDir()
	cmd := exec.Command("sh", filepath.Join(pkg.Dir, "install.sh"))
	cmd.Env = append(os.Environ(), "HOME="+home, "CCWB_NONINTERACTIVE=1")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "signed by key SHA256:") {
		t.Fatalf("install.sh of the signed package: %v\n%s", err, out)
	}
}
