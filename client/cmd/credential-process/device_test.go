package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/signin"
)

func deviceLogin(_ *idptest.Options, p *config.Profile) { p.Login = signin.Device }

var userCode = regexp.MustCompile(`^  ([A-Z]{4}-[A-Z]{4})$`)

// runApproving runs the binary and approves the device code it prompts with at the OpenID
// Provider, as the user does on another device; prompts names the stream the prompt must
// appear on.
func (e *env) runApproving(prompts string, args ...string) result {
	e.t.Helper()
	return e.runApprovingWith(prompts, func(code string) error { return e.idp.ApproveDevice(code, e.user) }, args...)
}

// runApprovingWith is runApproving with another approver (the Identity Center stand-in).
func (e *env) runApprovingWith(prompts string, approve func(userCode string) error, args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = e.environ()
	var out, errb bytes.Buffer
	watched, other := &out, &errb
	if prompts == "stderr" {
		watched, other = &errb, &out
	}
	pr, pw := io.Pipe()
	if prompts == "stderr" {
		cmd.Stdout, cmd.Stderr = other, pw
	} else {
		cmd.Stdout, cmd.Stderr = pw, other
	}
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	approved := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(io.TeeReader(pr, watched))
		for sc.Scan() {
			if m := userCode.FindStringSubmatch(sc.Text()); m != nil {
				approved <- approve(m[1])
			}
		}
		close(approved)
	}()
	err := cmd.Wait()
	pw.Close()
	if aerr, ok := <-approved; !ok {
		e.t.Errorf("no device code on %s", prompts)
	} else if aerr != nil {
		e.t.Errorf("approve: %v", aerr)
	}
	for range approved {
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// A user on an SSH host signs in with a device code: the code is on stderr (the terminal),
// stdout holds the credentials alone, and no browser is started.
func TestDeviceSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, deviceLogin)
	e.browser = idptest.BrowserLogin // a browser that would sign in, if it were started
	r := e.runApproving("stderr")
	e.mustCredentials(r)
	if !strings.Contains(r.stderr, "ccwb: to sign in, open "+e.idp.Issuer+idptest.DevicePath) {
		t.Errorf("stderr lacks the verification URL:\n%s", r.stderr)
	}
	if e.idp.Logins.Load() != 0 || e.idp.Device.Authorizations.Load() != 1 {
		t.Errorf("browser logins %d, device authorizations %d; want 0 and 1", e.idp.Logins.Load(), e.idp.Device.Authorizations.Load())
	}
	e.mustCredentials(e.run()) // cached
	if e.idp.Device.Authorizations.Load() != 1 {
		t.Error("the cached run signed in again")
	}
}

// login auto picks the device code on an SSH session and says why.
func TestAutoLoginOverSSH(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.extra = append(e.extra, "SSH_CONNECTION=192.0.2.1 50000 192.0.2.2 22")
	r := e.runApproving("stderr")
	e.mustCredentials(r)
	if !strings.Contains(r.stderr, "ccwb: SSH session (SSH_CONNECTION is set): signing in with a device code") {
		t.Errorf("stderr does not say why it chose the device code:\n%s", r.stderr)
	}
	if e.idp.Logins.Load() != 0 {
		t.Error("a browser sign-in happened over SSH")
	}
}

// --refresh-if-needed (Claude Code's awsAuthRefresh) prints the prompt and a status line on
// stdout, which Claude Code shows, and never credentials.
func TestRefreshIfNeededPromptsOnStdout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, deviceLogin)
	e.extra = append(e.extra, signin.EnvSignIn+"="+signin.Defer) // as Claude Code's settings set it: ignored in this mode
	r := e.runApproving("stdout", "--profile", "test", signin.RefreshFlag)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) > 5 || !strings.HasPrefix(lines[len(lines)-1], "ccwb: signed in (profile test); credentials valid until ") {
		t.Errorf("stdout is not at most five lines ending in the status:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "SecretAccessKey") || strings.Contains(r.stderr, "enter the code") {
		t.Errorf("credentials on stdout, or the prompt on stderr:\nstdout %s\nstderr %s", r.stdout, r.stderr)
	}
	e.mustCredentials(e.run()) // the credential process now answers from the cache
	if e.aws.Calls("AssumeRoleWithWebIdentity") != 1 {
		t.Errorf("%d federations, want the refresh's one", e.aws.Calls("AssumeRoleWithWebIdentity"))
	}
	start := time.Now()
	if r := e.run(signin.RefreshFlag); r.code != 0 || time.Since(start) > 5*time.Second || e.idp.Device.Authorizations.Load() != 1 {
		t.Errorf("with valid credentials cached, --refresh-if-needed signed in again or failed: %+v", r)
	}
}
