package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/store"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/schema"
)

// binDir holds otel-helper and credential-process side by side, as the installer lays them out.
var binDir string

func exe(name string) string {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(binDir, name)
}

func TestMain(m *testing.M) {
	idptest.BrowserMain() // when started as $BROWSER, log in and exit
	dir, err := idptest.BuildBinaries(".", "../credential-process")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// user is one signed-in end user: a home with config.json, a cache, an identity provider.
type user struct {
	t     testing.TB
	home  string
	cache string
	idp   *idptest.Provider
	who   idptest.User
	extra []string // more environment
	// telemetry: the profile has a telemetry audience (the collector checks that audience).
	telemetry bool
}

func newUser(t testing.TB, who idptest.User, o idptest.Options, edits ...func(*config.Profile)) *user {
	t.Helper()
	o.Users = []idptest.User{who}
	idp := idptest.NewProvider(t, o)
	port := idptest.FreePort(t)
	u := &user{t: t, home: t.TempDir(), cache: t.TempDir(), idp: idp, who: who}
	prof := config.Profile{
		ProviderType: "generic", Issuer: idp.Issuer, ClientID: idp.ClientID, FederationType: federation.Direct,
		RoleARN: "arn:aws:iam::123456789012:role/BedrockUsers", Region: "us-east-1", SessionDurationSeconds: 3600,
		CredentialStorage: config.StorageSession, CallbackPort: port, OTelEndpoint: collectorURL,
	}
	for _, edit := range edits {
		edit(&prof)
	}
	f := config.File{Profiles: map[string]config.Profile{"ClaudeCode": prof}}
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(u.home, "claude-code-with-bedrock")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return u
}

// collectorURL is the profile's otel_endpoint; the helper only compares it with its
// environment, so nothing listens there.
const collectorURL = "https://otel.example.com"

// environ is the environment Claude Code runs the helper with: its settings point the OTLP
// exporter at the profile's collector (u.extra comes after, and may override it).
func (u *user) environ() []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + u.home, "XDG_CACHE_HOME=" + u.cache, "SSL_CERT_FILE=" + u.idp.CAFile,
		"OTEL_EXPORTER_OTLP_ENDPOINT=" + collectorURL}
	env = append(env, u.extra...)
	return append(env, u.idp.BrowserEnv(u.who, idptest.BrowserLogin)...)
}

// session opens the profile's cache as the credential process writes it.
func (u *user) session() *cache.Session {
	return &cache.Session{Store: store.Files{Dir: filepath.Join(u.cache, "ccwb", "ClaudeCode")}}
}

// helper runs the otel-helper as Claude Code does and returns its headers; stdout must be
// one JSON object of strings and the exit status 0 whatever happened.
func (u *user) helper(args ...string) (map[string]string, string) {
	u.t.Helper()
	cmd := exec.Command(exe("otel-helper"), args...)
	cmd.Env = u.environ()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		u.t.Fatalf("otel-helper: %v (exit status must be 0)\nstderr: %s", err, errb.String())
	}
	var h map[string]string
	if err := json.Unmarshal(out.Bytes(), &h); err != nil {
		u.t.Fatalf("stdout is not a JSON object of strings: %v\n%q", err, out.String())
	}
	return h, errb.String()
}

// bearerOf checks the Authorization header and returns the token's claims.
func bearerOf(t *testing.T, h map[string]string) (string, claims.Claims) {
	t.Helper()
	tok, ok := strings.CutPrefix(h["Authorization"], "Bearer ")
	if !ok {
		t.Fatalf("Authorization = %q, want a bearer token", h["Authorization"])
	}
	c, err := claims.Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	return tok, c
}

func TestSignsInThenServesFromTheCache(t *testing.T) {
	t.Parallel()
	u := newUser(t, idptest.DefaultUser, idptest.Options{})
	h, stderr := u.helper()
	tok, c := bearerOf(t, h)
	if c.String("sub") != idptest.DefaultUser.Subject || c.String("aud") != "" && c.String("aud") != u.idp.ClientID {
		t.Errorf("token for sub %q", c.String("sub"))
	}
	want := map[string]string{
		"x-user-email": idptest.DefaultUser.Email, "x-user-name": idptest.DefaultUser.Name,
		"x-user-id": schema.StableID(idptest.DefaultUser.Subject), "x-department": "engineering",
		"x-organization": "default", "x-team-id": "default", "x-cost-center": "default",
		"x-location": "unknown", "x-role": "unknown", "x-manager": "unknown",
	}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("%s = %q, want %q (stderr: %s)", k, h[k], v, stderr)
		}
	}
	if len(h) != len(want)+1 {
		t.Errorf("%d headers, want %d: %v", len(h), len(want)+1, h)
	}
	if n := u.idp.Logins.Load(); n != 1 {
		t.Fatalf("%d logins for the first call, want 1", n)
	}

	// The cached path: no login, no refresh, not even the credential process.
	h2, stderr := u.helper("--credential-process", filepath.Join(t.TempDir(), "missing"))
	if tok2, _ := bearerOf(t, h2); tok2 != tok {
		t.Errorf("second call did not reuse the cached token (stderr: %s)", stderr)
	}
	if u.idp.Logins.Load() != 1 || u.idp.Refreshes.Load() != 0 {
		t.Errorf("cached call reached the IdP: %d logins, %d refreshes", u.idp.Logins.Load(), u.idp.Refreshes.Load())
	}
}

// Claude Code runs the helper with its settings' environment, where AWS_PROFILE names the
// package's profile: with several profiles and no --profile, that one is used.
func TestProfileFromAWSProfile(t *testing.T) {
	t.Parallel()
	u := newUser(t, idptest.DefaultUser, idptest.Options{})
	path := filepath.Join(u.home, "claude-code-with-bedrock", "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := config.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	other := f.Profiles["ClaudeCode"]
	other.ClientID = "someone-elses-client"
	f.Profiles["Other"] = other
	if b, err = f.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if h, stderr := u.helper(); len(h) != 0 {
		t.Fatalf("two profiles, no default, no AWS_PROFILE: headers %v, want {} (stderr: %s)", h, stderr)
	}
	u.extra = []string{"AWS_PROFILE=ClaudeCode"}
	h, stderr := u.helper()
	if _, c := bearerOf(t, h); c.String("sub") != idptest.DefaultUser.Subject {
		t.Fatalf("no token for the AWS_PROFILE profile (stderr: %s)", stderr)
	}
}

func TestClaimsOfOddTypes(t *testing.T) {
	t.Parallel()
	who := idptest.User{
		Subject: "00u-odd", Username: "odd", Password: "pw", Email: "odd@example.com", Name: "Zoë Ødegård",
		Claims: map[string]any{
			"cost_center": 4711, "group": []string{"platform", "sre"}, "organization_name": "Acme, Inc.",
			"manager": map[string]any{"displayName": "Bo", "email": "bo@example.com"}, "office_location": true,
			"job_title": "",
		},
	}
	u := newUser(t, who, idptest.Options{})
	h, stderr := u.helper()
	// Claude Code passes the headers through OTEL_EXPORTER_OTLP_HEADERS, whose values the
	// OpenTelemetry SDK URL-decodes once: what the collector receives is the decoded value.
	for k, v := range map[string]string{
		"x-cost-center": "4711", "x-team-id": "platform,sre", "x-manager": "bo@example.com",
		"x-location": "true", "x-role": "unknown", "x-user-name": "Zo%C3%AB %C3%98deg%C3%A5rd",
		"x-organization": "Acme, Inc.",
	} {
		got, err := url.PathUnescape(h[k])
		if err != nil || got != v {
			t.Errorf("%s = %q (decoded %q, %v), want %q on the wire (stderr: %s)", k, h[k], got, err, v, stderr)
		}
		if strings.ContainsAny(h[k], ",;") {
			t.Errorf("%s = %q would split OTEL_EXPORTER_OTLP_HEADERS", k, h[k])
		}
	}
}

func TestExpiredTokenIsRefreshedThroughTheCredentialProcess(t *testing.T) {
	t.Parallel()
	u := newUser(t, idptest.DefaultUser, idptest.Options{})
	first, _ := u.helper()
	oldTok, _ := bearerOf(t, first)

	s := u.session()
	cached, ok := s.Tokens()
	if !ok || cached.RefreshToken == "" {
		t.Fatalf("the credential process cached no refresh token: %+v", cached)
	}
	cached.IDExpiry = time.Now().Add(-time.Minute)
	if err := s.SaveTokens(cached); err != nil {
		t.Fatal(err)
	}
	h, stderr := u.helper()
	newTok, c := bearerOf(t, h)
	if renewed, _ := s.Tokens(); newTok == oldTok || newTok != renewed.IDToken {
		t.Fatalf("handed out the expired token, or not the renewed one the cache holds now (stderr: %s)", stderr)
	}
	if !c.Time("exp").After(time.Now()) {
		t.Errorf("refreshed token expires at %v", c.Time("exp"))
	}
	if u.idp.Refreshes.Load() != 1 || u.idp.Logins.Load() != 1 {
		t.Errorf("%d refreshes, %d logins: want the refresh token used, no new login", u.idp.Refreshes.Load(), u.idp.Logins.Load())
	}
}

func TestFailureIsEmptyJSONWithAReason(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		setup  func(*user) []string
		reason string
	}{
		{"no credential process and nothing cached", func(u *user) []string {
			return []string{"--credential-process", filepath.Join(u.home, "missing")}
		}, "no cached ID token"},
		{"identity provider unreachable", func(u *user) []string { u.idp.Close(); return nil }, "get-monitoring-token"},
		{"no config", func(u *user) []string {
			_ = os.RemoveAll(filepath.Join(u.home, "claude-code-with-bedrock"))
			return []string{"--credential-process", filepath.Join(u.home, "missing")}
		}, "config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := newUser(t, idptest.DefaultUser, idptest.Options{})
			args := tc.setup(u)
			h, stderr := u.helper(args...)
			if len(h) != 0 {
				t.Errorf("headers %v, want {}", h)
			}
			if !strings.Contains(stderr, tc.reason) {
				t.Errorf("stderr does not say %q:\n%s", tc.reason, stderr)
			}
		})
	}
}

// Claude Code runs the helper with its environment: the one it started in (a repository's
// .envrc, a wrapper) plus its merged settings. Any OTLP endpoint there that is not
// the profile's collector gets no headers at all: "{}", one line on stderr saying why, and
// no sign-in either.
func TestRedirectedEndpointGetsNoHeaders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		env    []string
		reason string
	}{
		{"base endpoint redirected", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=https://collector.evil.example"},
			`OTEL_EXPORTER_OTLP_ENDPOINT is "https://collector.evil.example", not the collector https://otel.example.com`},
		{"metrics redirected", []string{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=https://collector.evil.example/v1/metrics"},
			"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is"},
		{"logs redirected", []string{"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://127.0.0.1:9/v1/logs"}, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is"},
		{"traces redirected", []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://evil.example/v1/traces"}, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is"},
		{"base endpoint unset", []string{"OTEL_EXPORTER_OTLP_ENDPOINT="}, "OTEL_EXPORTER_OTLP_ENDPOINT is not set"},
		{"downgraded to http", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=http://otel.example.com"}, "not the collector"},
		{"certificate checks off", []string{"NODE_TLS_REJECT_UNAUTHORIZED=0"}, "NODE_TLS_REJECT_UNAUTHORIZED=0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := newUser(t, idptest.DefaultUser, idptest.Options{})
			u.extra = tc.env
			h, stderr := u.helper()
			if len(h) != 0 {
				t.Errorf("headers %v, want {}", h)
			}
			if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 || !strings.Contains(lines[0], tc.reason) {
				t.Errorf("stderr %q, want one line saying %q", stderr, tc.reason)
			}
			if n := u.idp.Logins.Load(); n != 0 {
				t.Errorf("%d sign-ins for a redirected endpoint, want none", n)
			}
		})
	}
	// The same user with the settings as installed gets the bearer.
	u := newUser(t, idptest.DefaultUser, idptest.Options{})
	if h, stderr := u.helper(); !strings.HasPrefix(h["Authorization"], "Bearer ") {
		t.Fatalf("installed settings: headers %v (stderr: %s)", h, stderr)
	}
}

// benchUser is a user with a valid cached token, for the whole-process benchmarks.
func benchUser(b *testing.B, edits ...func(*config.Profile)) *user {
	return signedIn(b, newUser(b, idptest.DefaultUser, idptest.Options{}, edits...))
}

func signedIn(b *testing.B, u *user) *user {
	cmd := exec.Command(exe("otel-helper"))
	cmd.Env = u.environ()
	if out, err := cmd.Output(); err != nil || !bytes.Contains(out, []byte("Bearer")) {
		b.Fatalf("sign-in for the benchmark failed: %v %s", err, out)
	}
	return u
}

func runProcess(b *testing.B, env []string, path string, args ...string) {
	for b.Loop() {
		cmd := exec.Command(path, args...)
		cmd.Env = env
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkProcessCached is the whole otel-helper process on the cached path, as Claude
// Code runs it; compare it with BenchmarkProcessBaseline, a Go binary that exits at once.
func BenchmarkProcessCached(b *testing.B) {
	u := benchUser(b)
	runProcess(b, u.environ(), exe("otel-helper"), "--credential-process", filepath.Join(u.home, "missing"))
}

// BenchmarkProcessCachedKeyring is BenchmarkProcessCached with the token in the OS keyring
// (a private Secret Service), the default storage.
func BenchmarkProcessCachedKeyring(b *testing.B) {
	bus := idptest.SecretService(b)
	u := newUser(b, idptest.DefaultUser, idptest.Options{}, func(p *config.Profile) { p.CredentialStorage = config.StorageKeyring })
	u.extra = bus
	signedIn(b, u)
	runProcess(b, u.environ(), exe("otel-helper"), "--credential-process", filepath.Join(u.home, "missing"))
}

// BenchmarkProcessBaseline starts the otel-helper with a bad flag: the same binary, loaded
// and exited before any work, so the ratio is the cost of the cached path itself.
func BenchmarkProcessBaseline(b *testing.B) {
	runProcess(b, os.Environ(), exe("otel-helper"), "--no-such-flag")
}

// The otel-helper reads the credential process's cache and leaves everything else to the
// credential process: it links no sign-in or federation code, which (its HTML templates
// above all) would nearly double the binary and slow every run of it (BenchmarkProcessCached).
func TestLinksNoSignIn(t *testing.T) {
	out, err := exec.Command("go", "tool", "nm", exe("otel-helper")).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	for _, pkg := range []string{"ccwb.dev/client/internal/oidclogin.", "ccwb.dev/client/internal/federation."} {
		if n := bytes.Count(out, []byte(pkg)); n > 0 {
			t.Errorf("the otel-helper links %d symbols of %s*", n, pkg)
		}
	}
}
