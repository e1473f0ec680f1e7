package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
)

func keyringStorage(_ *idptest.Options, p *config.Profile) {
	p.CredentialStorage = config.StorageKeyring
}

func TestKeyringStorage(t *testing.T) {
	t.Parallel()
	bus := idptest.SecretService(t)
	e := newEnv(t, keyringStorage)
	e.extra = bus
	r := e.run()
	c := e.mustCredentials(r)
	if strings.Contains(r.stderr, "keyring unavailable") {
		t.Fatalf("fell back to files:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.cache, "ccwb", "test", "credentials.json")); err == nil {
		t.Error("credentials were written to a session file with keyring storage")
	}
	if again := e.mustCredentials(e.run()); again != c || e.aws.Calls("AssumeRoleWithWebIdentity") != 1 {
		t.Error("second run did not come from the keyring")
	}
	if r := e.run("--explain"); !strings.Contains(r.stdout, "OS keyring, service ccwb:test") || !strings.Contains(r.stdout, "valid until") {
		t.Errorf("--explain:\n%s", r.stdout)
	}
	if r := e.run("--clear-cache"); r.code != 0 {
		t.Fatalf("--clear-cache: %s", r.stderr)
	}
	if r := e.run("--explain"); !strings.Contains(r.stdout, "aws credentials:       none cached") || !strings.Contains(r.stdout, "login:                 none cached") {
		t.Errorf("--explain after --clear-cache:\n%s", r.stdout)
	}
}

func TestLockedKeyringFallsBackToSessionFiles(t *testing.T) {
	t.Parallel()
	bus := idptest.SecretService(t)
	idptest.LockKeyring(t, bus)
	e := newEnv(t, keyringStorage)
	e.extra = bus
	r := e.run()
	e.mustCredentials(r)
	if n := strings.Count(r.stderr, "keyring unavailable"); n != 1 {
		t.Errorf("%d keyring notes on stderr, want exactly 1:\n%s", n, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.cache, "ccwb", "test", "credentials.json")); err != nil {
		t.Errorf("no session file after the fallback: %v", err)
	}
}
