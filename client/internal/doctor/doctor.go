// Package doctor is the end user's doctor (credential-process --doctor): one check per link
// of the chain from this machine to Bedrock and the collector, each saying what it found
// and the fix (docs/end-user/troubleshooting.md).
package doctor

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"ccwb.dev/client/doctor"
	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/profile"
	"ccwb.dev/contract/config"
	report "ccwb.dev/contract/doctor"
)

// Env is what the checks read of the machine; Default fills it from this one.
type Env struct {
	Getenv func(string) string
	// Exe is this binary, which the AWS profile and Claude Code's awsAuthRefresh must run.
	Exe string
	// WD is where Claude Code would start: its project settings are read here.
	WD         string
	HTTP       *http.Client
	LoadConfig func() (*config.File, string, error)
	Session    func(name string, p config.Profile) (*cache.Session, error)
	Listen     func(network, addr string) (net.Listener, error)
	Keyring    func() error // stores, reads and deletes a probe item
	Now        func() time.Time
	Roots      *x509.CertPool // trusted for the collector's certificate; nil: the system's
}

// Default is this machine's Env.
func Default() Env {
	exe, _ := os.Executable()
	wd, _ := os.Getwd()
	return Env{
		Getenv: os.Getenv, Exe: exe, WD: wd, HTTP: &http.Client{},
		LoadConfig: profile.LoadConfig,
		Session:    func(name string, p config.Profile) (*cache.Session, error) { return profile.Session(name, p, nil) },
		Listen:     net.Listen, Keyring: probeKeyring, Now: time.Now,
	}
}

// Target is the profile the checks look at, once config.json is read.
type Target struct {
	Name, ConfigPath string
	Profile          config.Profile
}

// Run runs every check for the named profile ("" the default), the config check first:
// without a usable config.json the others are skipped.
func Run(ctx context.Context, name string, e Env) ([]report.Result, *Target) {
	start := time.Now()
	t, r := loadTarget(name, e)
	first := report.Result{Check: "config", Status: r.Status, Detail: r.Detail, Fix: r.Fix, DurationMS: time.Since(start).Milliseconds()}
	checks := checks(e, t)
	if t == nil {
		out := []report.Result{first}
		for _, c := range checks {
			out = append(out, report.Result{Check: c.Name, Status: report.Skip, Detail: "no usable config.json"})
		}
		return out, nil
	}
	return append([]report.Result{first}, doctor.Run(ctx, checks)...), t
}

func loadTarget(name string, e Env) (*Target, doctor.Result) {
	f, path, err := e.LoadConfig()
	if err != nil {
		return nil, doctor.Fail("install the package your administrator gave you, or fix the file as the message says", "%v", err)
	}
	n, p, err := f.Profile(name)
	if err != nil {
		return nil, doctor.Fail("pass --profile with one of the profiles config.json names", "%s: %v", path, err)
	}
	return &Target{Name: n, ConfigPath: path, Profile: p}, doctor.Pass("%s, profile %s (%s)", path, n, kind(p))
}

// checks are the checks after config; t is nil when there is no usable config (they are
// only named then).
func checks(e Env, t *Target) []doctor.Check {
	var tt Target
	if t != nil {
		tt = *t
	}
	return []doctor.Check{
		{Name: "clock", Run: func(ctx context.Context) doctor.Result { return clockSkew(ctx, e, tt) }},
		{Name: "callback port", Run: func(context.Context) doctor.Result { return callbackPort(e, tt) }},
		{Name: "keyring", Run: func(context.Context) doctor.Result { return keyring(e, tt) }},
		{Name: "aws profile", Run: func(context.Context) doctor.Result { return awsProfile(e, tt) }},
		{Name: "claude code settings", Run: func(context.Context) doctor.Result { return claudeSettings(e, tt) }},
		{Name: "otlp endpoint", Run: func(ctx context.Context) doctor.Result { return otlp(ctx, e, tt) }},
		{Name: "session", Run: func(context.Context) doctor.Result { return session(e, tt) }},
	}
}

func kind(p config.Profile) string {
	if p.IdentityCenter != nil {
		return "IAM Identity Center " + p.IdentityCenter.StartURL
	}
	return fmt.Sprintf("%s %s", p.ProviderType, p.Issuer)
}
