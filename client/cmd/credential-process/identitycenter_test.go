package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/signin"
	"ccwb.dev/contract/testenv"
)

// icEnv is an isolated user of an identity-center profile: the Identity Center stand-in
// issues the role credentials through the env's fake AWS.
type icEnv struct {
	*env
	ic *idptest.IdentityCenter
}

func newICEnv(t *testing.T, o idptest.IdentityCenterOptions, login string) *icEnv {
	t.Helper()
	e := newEnv(t)
	o.AWS = e.aws
	ic := idptest.NewIdentityCenter(t, o)
	e.profile = config.Profile{
		ProviderType: "identity-center", Login: login,
		IdentityCenter: &config.IdentityCenter{StartURL: "https://d-1234567890.awsapps.com/start", Region: "eu-west-1", AccountID: "123456789012", RoleName: "ClaudeCodeBedrock"},
		Region:         "us-east-1", SessionDurationSeconds: 28800, CredentialStorage: config.StorageSession,
	}
	e.writeConfig(&config.File{Profiles: map[string]config.Profile{"test": e.profile}})
	e.extra = append(e.extra, "AWS_ENDPOINT_URL_SSO_OIDC="+ic.URL, "AWS_ENDPOINT_URL_SSO="+ic.URL)
	return &icEnv{env: e, ic: ic}
}

// awsCLI runs `aws sts get-caller-identity` with the binary as the profile's
// credential_process and returns the caller's ARN.
func (e *icEnv) awsCLI(t *testing.T, cli string) string {
	t.Helper()
	cfg := filepath.Join(e.home, "aws-config")
	if err := os.WriteFile(cfg, []byte("[profile ccwb]\ncredential_process = "+binary+" --profile test\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cli, "sts", "get-caller-identity", "--profile", "ccwb", "--output", "json", "--endpoint-url", e.aws.URL)
	cmd.Env = append(e.environ(), "AWS_CONFIG_FILE="+cfg, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(e.home, "none"))
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("aws sts get-caller-identity: %v\n%s", err, stderr)
	}
	var id struct{ Arn string }
	if err := json.Unmarshal(out, &id); err != nil {
		t.Fatalf("aws output %q: %v", out, err)
	}
	return id.Arn
}

// A user signs in with Identity Center (authorization code with PKCE, in the browser) and the
// AWS CLI gets the permission set's credentials, named by the user name Identity Center sets;
// the second call comes from the cache.
func TestIdentityCenterWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	cli := testenv.AWSCLI(t)
	e := newICEnv(t, idptest.IdentityCenterOptions{}, signin.Browser)
	want := "arn:aws:sts::123456789012:assumed-role/" + e.ic.RoleName() + "/jane"
	for range 2 {
		if arn := e.awsCLI(t, cli); arn != want {
			t.Errorf("caller %s, want %s", arn, want)
		}
	}
	if e.ic.SignIns.Load() != 1 || e.ic.RoleCredentials.Load() != 1 || e.ic.Registrations.Load() != 1 {
		t.Errorf("sign-ins %d, role credentials %d, registrations %d; want 1 each", e.ic.SignIns.Load(), e.ic.RoleCredentials.Load(), e.ic.Registrations.Load())
	}
}

// Over SSH, the same profile signs in with a device code.
func TestIdentityCenterDeviceCode(t *testing.T) {
	t.Parallel()
	e := newICEnv(t, idptest.IdentityCenterOptions{}, signin.Auto)
	e.extra = append(e.extra, "SSH_TTY=/dev/pts/3")
	r := e.runApprovingWith("stderr", func(code string) error { return e.ic.ApproveDevice(code, e.user) })
	e.mustCredentials(r)
	if e.ic.DeviceAuthorizations.Load() != 1 || e.ic.SignIns.Load() != 0 || !strings.Contains(r.stderr, "SSH session (SSH_TTY is set)") {
		t.Errorf("device authorizations %d, browser sign-ins %d; stderr:\n%s", e.ic.DeviceAuthorizations.Load(), e.ic.SignIns.Load(), r.stderr)
	}
}

// The SSO token is cached and renewed: new credentials come from a silent refresh; once the
// portal session has ended and the registration expired, the next run registers again and
// signs in.
func TestIdentityCenterRefreshAndReRegistration(t *testing.T) {
	t.Parallel()
	e := newICEnv(t, idptest.IdentityCenterOptions{}, signin.Browser)
	e.mustCredentials(e.run())
	e.dropCredentials()
	e.mustCredentials(e.run())
	if e.ic.SignIns.Load() != 1 || e.ic.RoleCredentials.Load() != 2 {
		t.Errorf("sign-ins %d, role credentials %d: the cached access token should serve the second run", e.ic.SignIns.Load(), e.ic.RoleCredentials.Load())
	}
	e.ic.EndSessions()
	e.dropCredentials()
	e.mustCredentials(e.run()) // the portal refuses the cached access token; the refresh fails too: sign in
	e.ic.ExpireClients()
	e.ic.EndSessions()
	e.dropCredentials()
	e.mustCredentials(e.run())
	if e.ic.SignIns.Load() != 3 || e.ic.Registrations.Load() != 2 || e.ic.Refreshes.Load() != 0 {
		t.Errorf("sign-ins %d, registrations %d, refreshes %d; want 3, 2, 0", e.ic.SignIns.Load(), e.ic.Registrations.Load(), e.ic.Refreshes.Load())
	}
}

// Five processes that start together share one sign-in and one GetRoleCredentials.
func TestIdentityCenterConcurrentRuns(t *testing.T) {
	t.Parallel()
	e := newICEnv(t, idptest.IdentityCenterOptions{}, signin.Browser)
	results := make([]result, 5)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = e.run() })
	}
	wg.Wait()
	for _, r := range results {
		e.mustCredentials(r)
	}
	if e.ic.SignIns.Load() != 1 || e.ic.RoleCredentials.Load() != 1 {
		t.Errorf("sign-ins %d, role credentials %d; want 1 and 1", e.ic.SignIns.Load(), e.ic.RoleCredentials.Load())
	}
}

// A user who may sign in but is not assigned the permission set is told whom to ask.
func TestIdentityCenterNotAssigned(t *testing.T) {
	t.Parallel()
	e := newICEnv(t, idptest.IdentityCenterOptions{Unassigned: []string{"jane"}}, signin.Browser)
	e.mustFail(e.run(), 1, "you are not assigned the permission set ClaudeCodeBedrock in account 123456789012")
	if r := e.run("--show-claims"); r.code != 1 || !strings.Contains(r.stderr, "signs in with IAM Identity Center") {
		t.Errorf("--show-claims: %+v", r)
	}
	if r := e.run("--explain"); r.code != 0 || !strings.Contains(r.stdout, "permission set:") {
		t.Errorf("--explain: %+v", r)
	}
}
