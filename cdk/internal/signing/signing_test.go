package signing

import (
	"bytes"
	"context"
	"debug/macho"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"ccwb.dev/cdk/internal/signing/signtest"
	packagermacho "ccwb.dev/client/packager/macho"
	"ccwb.dev/contract/testenv"
)

var (
	buildOnce sync.Once
	built     map[string][]byte
	buildErr  error
)

// hello cross-compiles a tiny program for darwin/amd64, darwin/arm64 and windows/amd64.
func hello(t *testing.T) map[string][]byte {
	t.Helper()
	testenv.Slow(t, "cross-compiles a program for macOS and Windows")
	buildOnce.Do(func() {
		src := filepath.Join(testenv.Root(t), "client", "packager", "crossbuild", "testdata", "hello")
		dir, err := os.MkdirTemp("", "ccwb-signing-")
		if err != nil {
			buildErr = err
			return
		}
		built = map[string][]byte{}
		for _, target := range []string{"darwin/amd64", "darwin/arm64", "windows/amd64"} {
			goos, goarch, _ := strings.Cut(target, "/")
			out := filepath.Join(dir, goos+"-"+goarch)
			cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./cmd/hello")
			cmd.Dir, cmd.Env = src, append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0", "GOWORK=off")
			if b, err := cmd.CombinedOutput(); err != nil {
				buildErr = errors.New(string(b))
				return
			}
			built[target], _ = os.ReadFile(out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

func signer(t *testing.T) (*Signer, *signtest.Identities) {
	t.Helper()
	id := signtest.New(t)
	s, err := FromEnv(false)
	if err != nil {
		t.Fatal(err)
	}
	return s, id
}

func TestMacOSSignatureVerifiesIndependently(t *testing.T) {
	bins := hello(t)
	s, id := signer(t)
	var slices [][]byte
	for _, target := range []string{"darwin/amd64", "darwin/arm64"} {
		signed, err := s.MachO(context.Background(), "hello", bins[target])
		if err != nil {
			t.Fatal(err)
		}
		sig, err := signtest.ReadSignature(signed)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if err := sig.VerifyCMS(t, id.CAFile); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if !sig.HardenedRuntime() {
			t.Errorf("%s: the hardened runtime is off (flags %#x); notarization requires it", target, sig.Flags)
		}
		slices = append(slices, signed)

		// One changed byte of code: its page no longer matches the CodeDirectory.
		changed := bytes.Clone(signed)
		changed[0x1100] ^= 0xff
		if _, err := signtest.ReadSignature(changed); !errors.Is(err, signtest.ErrPageHash) {
			t.Errorf("%s: a modified binary gave %v, want a page hash mismatch", target, err)
		}
		// A changed CodeDirectory: the CMS signature over it fails in openssl.
		sig.CodeDirectory = bytes.Clone(sig.CodeDirectory)
		sig.CodeDirectory[len(sig.CodeDirectory)-1] ^= 0xff
		if err := sig.VerifyCMS(t, id.CAFile); err == nil {
			t.Errorf("%s: openssl accepted a modified CodeDirectory", target)
		}
	}

	// The signed slices joined into the universal binary the package ships: each slice's
	// signature still holds.
	var fat bytes.Buffer
	if err := packagermacho.Universal(&fat, slices...); err != nil {
		t.Fatal(err)
	}
	ff, err := macho.NewFatFile(bytes.NewReader(fat.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ff.Arches {
		slice := fat.Bytes()[a.Offset : a.Offset+a.Size]
		sig, err := signtest.ReadSignature(slice)
		if err != nil || sig.VerifyCMS(t, id.CAFile) != nil {
			t.Errorf("universal slice %v: %v", a.Cpu, err)
		}
	}
}

func TestAuthenticodeVerifiesWithOsslsigncode(t *testing.T) {
	bins := hello(t)
	s, id := signer(t)
	signed, err := s.PE(context.Background(), "hello.exe", bins["windows/amd64"])
	if err != nil {
		t.Fatal(err)
	}
	if err := signtest.VerifyAuthenticode(t, signed, id.CAFile); err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(signed)
	changed[0x600] ^= 0xff // in .text
	if err := signtest.VerifyAuthenticode(t, changed, id.CAFile); err == nil {
		t.Error("osslsigncode accepted a modified executable")
	}
	if len(s.Thumbprint()) != 40 {
		t.Errorf("thumbprint %q", s.Thumbprint())
	}
}

func TestSumsSignatureVerifiesWithSSHKeygen(t *testing.T) {
	s, _ := signer(t)
	sums := []byte("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  bin/linux-amd64/credential-process\n")
	sig, allowed, err := s.Sums(sums)
	if err != nil {
		t.Fatal(err)
	}
	if err := signtest.VerifySums(t, sums, sig, allowed); err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(sums, []byte("9f86"), []byte("0000"), 1)
	if err := signtest.VerifySums(t, changed, sig, allowed); err == nil {
		t.Error("ssh-keygen accepted a changed SHA256SUMS")
	}
}

func TestFromEnvNamesWhatIsMissing(t *testing.T) {
	for _, k := range []string{EnvMacOSP12, EnvAuthenticodeP12, EnvSumsKey, EnvNotaryKey} {
		t.Setenv(k, "")
	}
	_, err := FromEnv(true)
	for _, want := range []string{EnvMacOSP12, EnvAuthenticodeP12, EnvSumsKey, "--no-notarize"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromEnv error %v does not name %s", err, want)
		}
	}
}
