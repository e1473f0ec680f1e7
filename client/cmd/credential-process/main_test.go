package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
)

// binary is the credential-process built once for the whole test run.
var binary string

func TestMain(m *testing.M) {
	idptest.BrowserMain() // when started as $BROWSER, log in and exit
	// Built as shipped (the packager cross-compiles with CGO_ENABLED=0): static, fast to start.
	dir, err := idptest.BuildBinaries(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "credential-process")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is one isolated user: a home with config.json, a cache directory, an identity
// provider and a fake AWS.
type env struct {
	t       testing.TB
	home    string
	cache   string
	idp     *idptest.Provider
	aws     *idptest.AWS
	profile config.Profile
	user    idptest.User
	browser string   // scripted browser mode
	extra   []string // more environment
}

type envOption func(*idptest.Options, *config.Profile)

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	o := idptest.Options{}
	p := config.Profile{
		ProviderType: "generic", ClientID: "ccwb-test-client", FederationType: federation.Direct,
		RoleARN: "arn:aws:iam::123456789012:role/BedrockUsers", Region: "us-east-1",
		SessionDurationSeconds: 28800, CredentialStorage: config.StorageSession, CallbackPort: idptest.FreePort(t),
	}
	for _, f := range opts {
		f(&o, &p)
	}
	idp := idptest.NewProvider(t, o)
	p.Issuer = idp.Issuer
	e := &env{
		t: t, home: t.TempDir(), cache: t.TempDir(), idp: idp, profile: p,
		aws:  idptest.NewAWS(t, idptest.AWSOptions{Provider: idp, RoleARN: "arn:aws:iam::123456789012:role/BedrockUsers"}),
		user: idptest.DefaultUser, browser: idptest.BrowserLogin,
	}
	e.writeConfig(&config.File{Profiles: map[string]config.Profile{"test": p}})
	return e
}

func (e *env) writeConfig(f *config.File) {
	e.t.Helper()
	b, err := f.Marshal()
	if err != nil {
		e.t.Fatal(err)
	}
	e.writeRawConfig(b)
}

func (e *env) writeRawConfig(b []byte) {
	e.t.Helper()
	dir := filepath.Join(e.home, "claude-code-with-bedrock")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// environ is the child's whole environment: nothing leaks in from the developer's session.
func (e *env) environ() []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + e.home,
		"XDG_CACHE_HOME=" + e.cache,
		"SSL_CERT_FILE=" + e.idp.CAFile,
		"AWS_ENDPOINT_URL=" + e.aws.URL,
	}
	env = append(env, e.idp.BrowserEnv(e.user, e.browser)...)
	return append(env, e.extra...)
}

type result struct {
	stdout, stderr string
	code           int
}

func (e *env) run(args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = e.environ()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run credential-process: %v", err)
	}
	return result{out.String(), errb.String(), code}
}

// credentialJSON is the credential_process output.
type credentialJSON struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

// mustCredentials checks that stdout is exactly one credential_process object, with nothing
// else, and that the fake STS issued it.
func (e *env) mustCredentials(r result) credentialJSON {
	e.t.Helper()
	if r.code != 0 {
		e.t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	var keys map[string]any
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(&keys); err != nil {
		e.t.Fatalf("stdout is not JSON: %v\n%q", err, r.stdout)
	}
	if dec.More() || strings.TrimSpace(r.stdout) != strings.TrimSpace(strings.SplitN(r.stdout, "\n", 2)[0]) {
		e.t.Fatalf("stdout holds more than one JSON object: %q", r.stdout)
	}
	for _, k := range []string{"Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} {
		if _, ok := keys[k]; !ok {
			e.t.Errorf("stdout lacks %s: %s", k, r.stdout)
		}
	}
	if len(keys) != 5 {
		e.t.Errorf("stdout has %d keys, want 5: %s", len(keys), r.stdout)
	}
	var c credentialJSON
	_ = json.Unmarshal([]byte(r.stdout), &c)
	if c.Version != 1 {
		e.t.Errorf("Version = %d, want 1", c.Version)
	}
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil || !exp.After(time.Now()) {
		e.t.Errorf("Expiration %q is not a future RFC 3339 time", c.Expiration)
	}
	s, ok := e.aws.Session(c.AccessKeyID)
	if !ok || s.SecretAccessKey != c.SecretAccessKey || s.SessionToken != c.SessionToken {
		e.t.Errorf("credentials %s were not issued by STS", c.AccessKeyID)
	}
	return c
}

// mustFail checks a failure: the exit code, a message naming the problem, empty stdout.
func (e *env) mustFail(r result, code int, message string) {
	e.t.Helper()
	if r.code != code {
		e.t.Errorf("exit code %d, want %d; stderr:\n%s", r.code, code, r.stderr)
	}
	if r.stdout != "" {
		e.t.Errorf("stdout not empty on failure: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, message) {
		e.t.Errorf("stderr lacks %q:\n%s", message, r.stderr)
	}
}
