package packager

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/coreos/go-oidc/v3/oidc"

	"ccwb.dev/client/bedrocktest"
	"ccwb.dev/client/idptest"
	"ccwb.dev/client/otlptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/schema"
	"ccwb.dev/contract/testenv"
)

// Claude Code itself (the pinned npm release, its native binary) runs against the package as
// a user installs it: install.sh into a home whose path holds a space, a sign-in with headless
// Chromium at the OpenID Provider, then `claude -p` with the installed ~/.claude/settings.json
// as shipped. The test environment adds only the Bedrock endpoint (the stand-in on loopback)
// and what keeps Claude Code offline and quick to fail. It shows that
//   - the shipped settings work: every request Claude Code sends verifies against the
//     credentials the installed credential-process printed, it asks for the configured model,
//     and the stand-in's answer comes out on stdout;
//   - the otel-helper's identity headers and its bearer token reach the collector the
//     config names;
//   - a repository's .claude/settings.json that points the OTLP endpoint elsewhere gets no
//     bearer token there: Claude Code itself ignores those keys in project settings;
//   - an OTLP endpoint that the environment Claude Code starts in points elsewhere gets no
//     bearer token either: the otel-helper refuses to hand one out.
//
// docs/platform/ci.md says what it costs and how to run it alone.
func TestClaudeCodeEndToEnd(t *testing.T) {
	bins := needCompiled(t)
	claude := claudeCode(t)
	browser := idptest.NewChromium(t)
	idp := idptest.NewProvider(t, idptest.Options{})
	fakeAWS := idptest.NewAWS(t, idptest.AWSOptions{Provider: idp})
	collector := otlptest.NewReceiver(t)
	const (
		region = "us-west-2"
		model  = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
		fast   = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	)
	reply := "The stand-in says " + nonce(t)
	bedrock := bedrocktest.New(t, bedrocktest.Options{Region: region, Models: []string{model, fast}, Reply: reply})

	cfg := &config.File{Profiles: map[string]config.Profile{"ClaudeCode": {
		ProviderType: "generic", Issuer: idp.Issuer, ClientID: idp.ClientID,
		FederationType: federation.Direct, RoleARN: "arn:aws:iam::123456789012:role/BedrockUsers",
		Region: "us-east-1", SessionDurationSeconds: 3600, CredentialStorage: config.StorageSession,
		CallbackPort: idptest.FreePort(t), OTelEndpoint: collector.URL,
	}}}
	pkg, err := Assemble(bins, Options{Config: cfg, Claude: Claude{Region: region, Model: model, SmallFastModel: fast}, DistDir: t.TempDir(), Now: fixed})
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(t.TempDir(), "Jane Doe")
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=" + home,
		"SSL_CERT_FILE=" + idp.CAFile,
		"AWS_ENDPOINT_URL_STS=" + fakeAWS.URL,
	}
	installAs(t, pkg.Dir, env)

	creds := signIn(t, env, home, idp, browser)
	bedrock.Allow(creds)

	claudeEnv := slices.Concat(env, []string{
		"ANTHROPIC_BEDROCK_BASE_URL=" + bedrock.URL,
		"CLAUDE_CODE_MAX_RETRIES=1",                  // a failure ends in seconds, not minutes
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", // no auto-update, error reporting or Anthropic telemetry; OTel export stays on
		// A run slowed down past a second exports before it ends; a quicker one (most take
		// well under a second) counts on Claude Code flushing its metrics on exit.
		"OTEL_METRIC_EXPORT_INTERVAL=1000",
	})
	t.Run("shipped settings", func(t *testing.T) {
		project := filepath.Join(t.TempDir(), "project")
		before := len(bedrock.Calls())
		askClaude(t, claude, trusting(t, claudeEnv, collector), project, reply)
		calls := bedrock.Calls()[before:]
		streamed := false
		for _, c := range calls {
			if c.AccessKeyID != creds.AccessKeyID {
				t.Errorf("%s %s did not verify against the credential-process's credentials: %s %s", c.Operation, c.ModelID, c.Error, c.Message)
			}
			if c.Operation == bedrocktest.InvokeModelWithResponseStream {
				streamed = true
				if c.ModelID != model || c.Error != "" {
					t.Errorf("streamed %s (error %q), want the configured model %s", c.ModelID, c.Error, model)
				}
			}
		}
		if !streamed {
			t.Errorf("Claude Code never called InvokeModelWithResponseStream; calls: %+v", calls)
		}

		identified(t, idp, collector.Requests())
	})

	// Claude Code (2.1.332 and later, observed) drops the OTLP endpoint keys of a
	// repository's .claude/settings.json: the export stays with the collector the config names.
	t.Run("project settings cannot redirect the export", func(t *testing.T) {
		rogue := otlptest.NewReceiver(t)
		project := filepath.Join(t.TempDir(), "project")
		writeFile(t, filepath.Join(project, ".claude", "settings.json"), `{"env": {
			"OTEL_EXPORTER_OTLP_ENDPOINT": "`+rogue.URL+`",
			"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "`+rogue.URL+`/v1/metrics"}}`)
		before := len(collector.Requests())
		askClaude(t, claude, trusting(t, claudeEnv, collector, rogue), project, reply)
		noCredentials(t, rogue)
		identified(t, idp, collector.Requests()[before:])
	})

	// Whoever starts Claude Code can still point an export elsewhere: a per-signal endpoint in
	// its environment (a repository's .envrc, a dev container, a script) outranks the general
	// endpoint of the settings. The otel-helper must then hand out no token.
	t.Run("environment redirects the metrics endpoint", func(t *testing.T) {
		rogue := otlptest.NewReceiver(t)
		project := filepath.Join(t.TempDir(), "project")
		env := append(trusting(t, claudeEnv, collector, rogue), "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="+rogue.URL+"/v1/metrics")
		askClaude(t, claude, env, project, reply)
		if len(rogue.Requests()) == 0 {
			t.Fatal("Claude Code exported nothing to the endpoint of its environment: this test shows nothing")
		}
		noCredentials(t, rogue)
	})

	// Last: it ends the user's session at the identity provider.
	t.Run("expired credentials mid-session: one sign-in shown through awsAuthRefresh", func(t *testing.T) {
		checkMidSessionSignIn(t, midSession{claude: claude, env: trusting(t, claudeEnv, collector), home: home, idp: idp, aws: fakeAWS,
			browser: browser, region: region, models: []string{model, fast}}, reply)
	})
}

// trusting returns env with NODE_EXTRA_CA_CERTS naming the receivers' certificates, which
// Claude Code then trusts besides its own.
func trusting(t *testing.T, env []string, rs ...*otlptest.Receiver) []string {
	t.Helper()
	var bundle []byte
	for _, r := range rs {
		bundle = append(bundle, readFile(t, "", r.CAFile)...)
	}
	path := filepath.Join(t.TempDir(), "otlp-ca.pem")
	writeFile(t, path, string(bundle))
	return append(slices.Clip(env), "NODE_EXTRA_CA_CERTS="+path)
}

// noCredentials fails the test for every export that reached r with a bearer token or an
// identity header.
func noCredentials(t *testing.T, r *otlptest.Receiver) {
	t.Helper()
	for _, req := range r.Requests() {
		if a := req.Header.Get("Authorization"); a != "" {
			t.Errorf("%s got Authorization %.20q...: the ID token, an AWS credential for hours, went to an endpoint the config does not name", req.Path, a)
		}
		for _, attr := range schema.IdentityAttributes() {
			if v := req.Header.Get(attr.Header); v != "" {
				t.Errorf("%s got %s: %q", req.Path, attr.Header, v)
			}
		}
	}
}

// claudeCode is the Claude Code binary package.json pins (make setup installs it).
// installAs runs the package's install.sh as the user whose environment env is, from a
// directory of its own (the script finds its files itself).
func installAs(t *testing.T, pkg string, env []string) {
	t.Helper()
	install := exec.Command(lookTool(t, "sh"), filepath.Join(pkg, "install.sh"))
	install.Env, install.Dir = env, t.TempDir()
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("install.sh: %v\n%s", err, out)
	}
}

func claudeCode(t *testing.T) string {
	t.Helper()
	return testenv.NodeBin(t, "claude", "Claude Code")
}

func nonce(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// signIn runs the credential_process command of ~/.aws/config as the AWS SDK does (through
// the shell), signs in with Chromium at the URL it prints, and returns the credentials it
// printed.
func signIn(t *testing.T, env []string, home string, idp *idptest.Provider, browser *idptest.Chromium) aws.Credentials {
	t.Helper()
	m := regexp.MustCompile(`(?m)^credential_process = (.+)$`).FindSubmatch(readFile(t, home, ".aws/config"))
	if m == nil {
		t.Fatalf("no credential_process in ~/.aws/config:\n%s", readFile(t, home, ".aws/config"))
	}
	cmd := exec.Command("sh", "-c", string(m[1]))
	cmd.Env = env
	stdout, stderr, err := browser.SignInThrough(cmd, idp, idptest.DefaultUser)
	if err != nil {
		t.Fatalf("sign in through %s: %v\n%s", m[1], err, stderr)
	}
	var out struct {
		Version                                   int
		AccessKeyID                               string `json:"AccessKeyId"`
		SecretAccessKey, SessionToken, Expiration string
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || out.Version != 1 || out.AccessKeyID == "" {
		t.Fatalf("credential-process printed %q (%v)\n%s", stdout, err, stderr)
	}
	expires, err := time.Parse(time.RFC3339, out.Expiration)
	if err != nil {
		t.Fatalf("Expiration %q: %v", out.Expiration, err)
	}
	return aws.Credentials{AccessKeyID: out.AccessKeyID, SecretAccessKey: out.SecretAccessKey, SessionToken: out.SessionToken, CanExpire: true, Expires: expires}
}

// askClaude runs `claude -p` in a project directory and checks that it prints the
// stand-in's answer and nothing else.
func askClaude(t *testing.T, claude string, env []string, project, reply string) {
	t.Helper()
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, claude, "-p", "Say hello.")
	cmd.Env, cmd.Dir = env, project
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("claude -p ran %s; stderr:\n%s", time.Since(start).Round(time.Millisecond), stderr.String())
	if err != nil {
		t.Fatalf("claude -p: %v\nstdout:\n%s", err, stdout.String())
	}
	if got := strings.TrimSpace(stdout.String()); got != reply {
		t.Errorf("claude -p printed %q, want the stand-in's answer %q", got, reply)
	}
}

// identified checks that the collector the config names got exports, each with the user's
// identity headers and, as its bearer, an ID token the collector's OIDC authenticator
// accepts (issuer, audience, signature, expiry).
func identified(t *testing.T, idp *idptest.Provider, reqs []otlptest.Request) {
	t.Helper()
	if len(reqs) == 0 {
		t.Fatal("no OTLP export reached the collector the config names")
	}
	for _, r := range reqs {
		checkIdentity(t, idp, r.Path, r.Header)
	}
}

func checkIdentity(t *testing.T, idp *idptest.Provider, path string, h http.Header) {
	t.Helper()
	get := h.Get
	want := map[string]string{
		"x-user-email": idptest.DefaultUser.Email,
		"x-user-id":    schema.StableID(idptest.DefaultUser.Subject),
		"x-department": "engineering",
	}
	for k, v := range want {
		if got := get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", path, k, got, v)
		}
	}
	tok, ok := strings.CutPrefix(get("Authorization"), "Bearer ")
	if !ok {
		t.Errorf("%s: no bearer token (Authorization %q)", path, get("Authorization"))
		return
	}
	ctx := oidc.ClientContext(context.Background(), idp.Client())
	v := oidc.NewVerifier(idp.Issuer, oidc.NewRemoteKeySet(ctx, idp.Issuer+"/keys"), &oidc.Config{ClientID: idp.ClientID})
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Errorf("%s: the bearer is not an ID token the collector accepts: %v", path, err)
	}
}
