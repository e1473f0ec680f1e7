package packager

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/bedrocktest"
	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
)

// midSession is what the mid-session sign-in needs of the end-to-end test's world.
type midSession struct {
	claude  string
	env     []string // Claude Code's environment (the shipped settings do the rest)
	home    string
	idp     *idptest.Provider
	aws     *idptest.AWS
	browser *idptest.Chromium
	region  string
	models  []string
}

// authStatus is Claude Code's sign-in status message in SDK mode (--enable-auth-status):
// awsAuthRefresh's stdout lines as output, its stderr as error.
type authStatus struct {
	Type             string   `json:"type"`
	IsAuthenticating bool     `json:"isAuthenticating"`
	Output           []string `json:"output"`
	Error            string   `json:"error"`
	Result           string   `json:"result"`
	Subtype          string   `json:"subtype"`
}

// devicePromptRe reads the device prompt from an auth status's output. Claude Code 2.1.332
// gives each chunk of awsAuthRefresh's stdout as one output entry, its newlines as spaces.
var devicePromptRe = regexp.MustCompile(`ccwb: to sign in, open (\S+) on any device and enter the code\s+([A-Z]{4}-[A-Z]{4})`)

// checkMidSessionSignIn: the credentials expire between two turns of one session. The first
// turn calls a tool; before the second the credentials Claude Code holds expire at Bedrock and
// the user's session at the identity provider ends. Claude Code gets 403 ExpiredTokenException,
// runs the shipped awsAuthRefresh, shows its device code (this machine has no display), the
// user approves it on another device (Chromium, at the provider's page, with the code Claude
// Code showed), and the session goes on to the second turn's answer. The credential process
// that Claude Code's SDK runs silently starts no sign-in of its own (CCWB_SIGN_IN=defer).
func checkMidSessionSignIn(t *testing.T, w midSession, reply string) {
	expiries := 0
	cacheDir := filepath.Join(w.home, ".cache", "ccwb", "ClaudeCode")
	bedrock := bedrocktest.New(t, bedrocktest.Options{Region: w.region, Models: w.models, Reply: reply,
		ToolUse: &bedrocktest.ToolUse{Name: "Glob", Input: map[string]any{"pattern": "*.txt"}}, ExpireAfterStreams: 1,
		OnExpire: func() {
			expiries++
			w.idp.RevokeRefreshTokens() // the session at the identity provider ended too
			for _, f := range []string{"credentials.json", "tokens.json"} {
				_ = os.Remove(filepath.Join(cacheDir, f)) // as the cache would drop them, expired
			}
		},
		Credentials: func(id string) (aws.Credentials, bool) {
			s, ok := w.aws.Session(id)
			return aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken, CanExpire: true, Expires: s.Expiration}, ok
		}})
	project := filepath.Join(t.TempDir(), "project")
	writeFile(t, filepath.Join(project, "notes.txt"), "hello")
	env := append(slices.Clip(w.env), "ANTHROPIC_BEDROCK_BASE_URL="+bedrock.URL)
	logins, devices, federations := w.idp.Logins.Load(), w.idp.Device.Authorizations.Load(), w.aws.Calls("AssumeRoleWithWebIdentity")

	statuses, result, stderr := runClaudeApproving(t, w.claude, w.browser, env, project)
	checkAuthStatuses(t, statuses, stderr)
	if result != reply || expiries != 1 {
		t.Errorf("the session ended with %q (expiries %d), want the second turn's %q; stderr:\n%s", result, expiries, reply, stderr)
	}
	if n := w.idp.Device.Authorizations.Load() - devices; n != 1 || w.idp.Logins.Load() != logins {
		t.Errorf("%d device sign-ins and %d browser sign-ins, want one device sign-in", n, w.idp.Logins.Load()-logins)
	}
	if n := w.aws.Calls("AssumeRoleWithWebIdentity") - federations; n != 1 {
		t.Errorf("%d federations after the expiry, want 1", n)
	}
}

// runClaudeApproving runs one `claude -p` session in SDK mode with auth status messages and
// approves the device code the first auth status shows. It returns the auth statuses, the
// session's result and Claude Code's stderr.
func runClaudeApproving(t *testing.T, claude string, browser *idptest.Chromium, env []string, project string) ([]authStatus, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, claude, "-p", "List the text files, then say what you found.",
		"--output-format", "stream-json", "--verbose", "--enable-auth-status", "--allowedTools", "Glob")
	cmd.Env, cmd.Dir = env, project
	sc, stderr := start(t, cmd)
	var statuses []authStatus
	var result string
	approved := false
	for sc.Scan() {
		var m authStatus
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		switch m.Type {
		case "result":
			result = m.Result
		case "auth_status":
			statuses = append(statuses, m)
			if !approved {
				approved = approve(t, browser, m.Output)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("claude -p: %v", err)
	}
	return statuses, result, stderr.String()
}

// approve signs in at the verification URL with the code the status shows, as the user
// would with what Claude Code displayed; it reports whether the status showed one.
func approve(t *testing.T, browser *idptest.Chromium, output []string) bool {
	m := devicePromptRe.FindStringSubmatch(strings.Join(output, "\n"))
	if m == nil {
		return false
	}
	url, code := m[1], m[2]
	if err := browser.ApproveDevice(url, code, idptest.DefaultUser); err != nil {
		t.Errorf("approve the code Claude Code showed: %v", err)
	}
	return true
}

// checkAuthStatuses fails the test unless Claude Code showed a device code from
// awsAuthRefresh, and awsAuthRefresh never failed.
func checkAuthStatuses(t *testing.T, statuses []authStatus, stderr string) {
	t.Helper()
	shown := false
	for _, s := range statuses {
		shown = shown || devicePromptRe.MatchString(strings.Join(s.Output, "\n"))
		if s.Error != "" {
			t.Errorf("awsAuthRefresh reported an error: %s", s.Error)
		}
	}
	if !shown {
		t.Errorf("Claude Code showed no device code from awsAuthRefresh; auth statuses %+v\nstderr:\n%s", statuses, stderr)
	}
	if strings.Contains(stderr, "Error running awsAuthRefresh") {
		t.Errorf("awsAuthRefresh failed:\n%s", stderr)
	}
}

// TestClaudeCodeIdentityCenter: a user of an identity-center deployment installs the package,
// signs in once in a terminal with a device code (the installed credential process, read
// from its stdout, approved with Chromium at the stand-in's verification page), and Claude
// Code calls Bedrock with the permission set's credentials. Between two turns of the session
// the credentials expire and the access-portal session ends: Claude Code shows the new device
// code from awsAuthRefresh, the user enters it, and the session continues.
//
// The first sign-in is in a terminal because Claude Code 2.1.332 in -p mode reports no auth
// status for an awsAuthRefresh it runs at start-up (observed; docs/platform/claude-code.md).
func TestClaudeCodeIdentityCenter(t *testing.T) {
	bins := needCompiled(t)
	claude := claudeCode(t)
	browser := idptest.NewChromium(t)
	fakeAWS := idptest.NewAWS(t, idptest.AWSOptions{})
	ic := idptest.NewIdentityCenter(t, idptest.IdentityCenterOptions{AWS: fakeAWS})
	const region, model = "us-west-2", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	reply := "The stand-in says " + nonce(t)
	cfg := &config.File{Profiles: map[string]config.Profile{"ClaudeCode": {
		ProviderType: "identity-center", Region: "us-east-1", SessionDurationSeconds: 28800, CredentialStorage: config.StorageSession,
		IdentityCenter: &config.IdentityCenter{StartURL: "https://d-1234567890.awsapps.com/start", Region: "us-east-1", AccountID: "123456789012", RoleName: "ClaudeCodeBedrock"},
	}}}
	pkg, err := Assemble(bins, Options{Config: cfg, Claude: Claude{Region: region, Model: model}, DistDir: t.TempDir(), Now: fixed})
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(t.TempDir(), "Jane Doe")
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home, "AWS_ENDPOINT_URL_STS=" + fakeAWS.URL,
		"AWS_ENDPOINT_URL_SSO_OIDC=" + ic.URL, "AWS_ENDPOINT_URL_SSO=" + ic.URL}
	installAs(t, pkg.Dir, env)
	signInInTerminal(t, filepath.Join(home, "claude-code-with-bedrock", "credential-process"), env, browser)

	cacheDir := filepath.Join(home, ".cache", "ccwb", "ClaudeCode")
	bedrock := bedrocktest.New(t, bedrocktest.Options{Region: region, Models: []string{model}, Reply: reply,
		ToolUse: &bedrocktest.ToolUse{Name: "Glob", Input: map[string]any{"pattern": "*.txt"}}, ExpireAfterStreams: 1,
		OnExpire: func() {
			ic.EndSessions()
			for _, f := range []string{"credentials.json", "sso-token.json"} {
				_ = os.Remove(filepath.Join(cacheDir, f))
			}
		},
		Credentials: func(id string) (aws.Credentials, bool) {
			s, ok := fakeAWS.Session(id)
			return aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken, CanExpire: true, Expires: s.Expiration}, ok
		}})
	project := filepath.Join(t.TempDir(), "project")
	writeFile(t, filepath.Join(project, "notes.txt"), "hello")
	claudeEnv := append(env, "ANTHROPIC_BEDROCK_BASE_URL="+bedrock.URL, "CLAUDE_CODE_MAX_RETRIES=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1")
	statuses, result, stderr := runClaudeApproving(t, claude, browser, claudeEnv, project)
	checkAuthStatuses(t, statuses, stderr)
	if result != reply {
		t.Errorf("the session ended with %q, want %q; stderr:\n%s", result, reply, stderr)
	}
	if ic.DeviceAuthorizations.Load() != 2 || ic.RoleCredentials.Load() != 2 {
		t.Errorf("device sign-ins %d, role credentials %d; want 2 and 2 (the terminal's, Claude Code's)", ic.DeviceAuthorizations.Load(), ic.RoleCredentials.Load())
	}
	for _, c := range bedrock.Calls() {
		if s, ok := fakeAWS.Session(c.AccessKeyID); !ok || !strings.Contains(s.AssumedRoleARN, "/AWSReservedSSO_ClaudeCodeBedrock_") {
			t.Errorf("%s was not signed with the permission set's credentials: %s %s", c.Operation, c.Error, c.Message)
		}
	}
}

// signInInTerminal runs the installed credential process with --refresh-if-needed, as a user
// does in a terminal, and approves the device code it prints.
func signInInTerminal(t *testing.T, exe string, env []string, browser *idptest.Chromium) {
	t.Helper()
	cmd := exec.Command(exe, "--profile", "ClaudeCode", "--refresh-if-needed")
	cmd.Env = env
	sc, stderr := start(t, cmd)
	var lines []string
	for sc.Scan() {
		if lines = append(lines, sc.Text()); len(lines) == 3 {
			approve(t, browser, lines)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("sign in in a terminal: %v\nstdout:\n%s\nstderr:\n%s", err, strings.Join(lines, "\n"), stderr.String())
	}
}

// start starts cmd and returns a scanner of its stdout lines and its stderr.
func start(t *testing.T, cmd *exec.Cmd) (*bufio.Scanner, *bytes.Buffer) {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return sc, &stderr
}
