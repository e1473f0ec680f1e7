package doctor

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"ccwb.dev/client/doctor"
	"ccwb.dev/contract/config"
	report "ccwb.dev/contract/doctor"
	"ccwb.dev/contract/signin"
)

// callbackPort: the browser sign-in's loopback port must be free.
func callbackPort(e Env, t Target) doctor.Result {
	p := t.Profile
	if p.IdentityCenter != nil {
		return doctor.Skip("Identity Center sign-ins use any free port")
	}
	if p.LoginMethod() == signin.Device {
		return doctor.Skip("this profile signs in with a device code")
	}
	ln, err := e.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p.Port())))
	if err != nil {
		return doctor.Fail(fmt.Sprintf("close the program that listens on port %d, or ask your administrator for a package with another client.callback_port (and that redirect URI at the identity provider)", p.Port()),
			"127.0.0.1:%d is in use: %v", p.Port(), err)
	}
	_ = ln.Close()
	return doctor.Pass("127.0.0.1:%d is free for the sign-in's redirect", p.Port())
}

// keyringService is the keyring service of the probe item.
const keyringService = "ccwb-doctor"

func probeKeyring() error {
	if err := gokeyring.Set(keyringService, "probe", "ok"); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	v, err := gokeyring.Get(keyringService, "probe")
	if err == nil && v != "ok" {
		err = errors.New("read back another value")
	}
	if derr := gokeyring.Delete(keyringService, "probe"); err == nil && derr != nil {
		err = fmt.Errorf("delete: %w", derr)
	}
	return err
}

// keyring: a keyring profile needs a keyring that stores, reads and deletes.
func keyring(e Env, t Target) doctor.Result {
	if t.Profile.CredentialStorage != config.StorageKeyring {
		return doctor.Skip("this profile keeps its session in files (credential_storage session)")
	}
	if err := e.Keyring(); err != nil {
		return doctor.Warn("unlock the keyring (or sign in to a desktop session); otherwise ask your administrator for a package with client.credential_storage session",
			"the OS keyring is not usable (%v): the session falls back to 0600 files", err)
	}
	return doctor.Pass("the OS keyring stores, reads and deletes")
}

// session: what the cache holds, and whether the next use will need a sign-in.
func session(e Env, t Target) doctor.Result {
	s, err := e.Session(t.Name, t.Profile)
	if err != nil {
		return doctor.Fail("check that your cache directory is writable", "%v", err)
	}
	signIn := doctor.Warn("sign in now in a terminal: credential-process --profile "+t.Name+" "+signin.RefreshFlag, "nothing cached that renews silently: the next use signs in")
	if c, ok := s.Credentials(); ok {
		signIn = doctor.Pass("AWS credentials cached, valid until %s", c.Expires.Local().Format(time.DateTime))
	}
	if t.Profile.IdentityCenter != nil {
		if r, ok := s.Registration(); ok && r.ExpiresAt.Sub(e.Now()) < 7*24*time.Hour {
			return doctor.Warn("nothing to do: the next sign-in registers again", "this computer's Identity Center registration expires %s", r.ExpiresAt.Local().Format(time.DateOnly))
		}
		if tok, ok := s.SSOToken(); ok && signIn.Status != report.Pass && tok.RefreshToken != "" {
			return doctor.Pass("no AWS credentials cached; the Identity Center sign-in renews silently")
		}
		return signIn
	}
	if tok, ok := s.Tokens(); ok && signIn.Status != report.Pass && tok.RefreshToken != "" {
		return doctor.Pass("no AWS credentials cached; the sign-in renews silently (refresh token cached)")
	}
	return signIn
}
