// Command credential-process is the AWS credential_process of Claude Code with Amazon
// Bedrock: it prints temporary AWS credentials for the user signed in at the company's
// identity provider, from its cache when it can, signing in through the browser when it must.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"ccwb.dev/client/internal/cli"
	"ccwb.dev/client/internal/login"
	"ccwb.dev/client/internal/oidclogin"
	"ccwb.dev/client/internal/profile"
	"ccwb.dev/contract/signin"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() { os.Exit(run()) }

// flags are the command line.
type flags struct {
	profile, login, bundle                                string
	version, clearCache, checkExpiration, refreshIfNeeded bool
	monitoringToken, showClaims, explain                  bool
	doctor, doctorJSON                                    bool
	loginTimeout                                          time.Duration
}

func parseFlags(args []string) (*flags, bool) {
	var f flags
	fs := flag.NewFlagSet("credential-process", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.StringVar(&f.profile, "profile", "", "profile of config.json to use (default: the default or only profile)")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	fs.BoolVar(&f.clearCache, "clear-cache", false, "remove the profile's cached credentials and tokens")
	fs.BoolVar(&f.checkExpiration, "check-expiration", false, "exit 0 when cached credentials are valid, 1 otherwise (no network)")
	fs.BoolVar(&f.refreshIfNeeded, strings.TrimPrefix(signin.RefreshFlag, "--"), false, "make sure valid credentials are cached, signing in when needed; stdout carries the sign-in prompts and a status line (Claude Code's awsAuthRefresh shows it), never credentials")
	fs.BoolVar(&f.monitoringToken, "get-monitoring-token", false, "print the token the otel-helper sends to the collector (the telemetry access token, or else the ID token)")
	fs.BoolVar(&f.showClaims, "show-claims", false, "print the verified claims of the ID token (for support)")
	fs.BoolVar(&f.explain, "explain", false, "print the configuration, storage and cache state (no network)")
	fs.StringVar(&f.login, "login", os.Getenv(signin.EnvLogin), "how to sign in: browser, device (a code to enter on any device) or auto (device over SSH or without a display); default the profile's login setting (env "+signin.EnvLogin+")")
	fs.DurationVar(&f.loginTimeout, "login-timeout", oidclogin.DefaultTimeout, "how long to wait for the browser sign-in or the device code")
	fs.BoolVar(&f.doctor, "doctor", false, "check this machine's set-up, one line per check: PASS, WARN or FAIL and the fix (exit 1 on a FAIL)")
	fs.BoolVar(&f.doctorJSON, "json", false, "with --doctor: print the report as JSON")
	fs.StringVar(&f.bundle, "bundle", "", "with --doctor: also write a support bundle (a zip, secrets removed) to this file")
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "ccwb: unexpected argument %q; see --help\n", fs.Arg(0))
		return nil, false
	}
	if f.login != "" && !slices.Contains(signin.Methods, f.login) {
		fmt.Fprintf(os.Stderr, "ccwb: --login %q is not one of %s\n", f.login, strings.Join(signin.Methods, ", "))
		return nil, false
	}
	return &f, true
}

func run() int {
	f, ok := parseFlags(os.Args[1:])
	if !ok {
		return cli.ExitUsage
	}
	if f.version {
		fmt.Println("credential-process", version)
		cli.VersionNotes(f.profile, version, os.Stdout)
		return cli.ExitOK
	}
	if f.doctor {
		return runDoctor(f)
	}
	cfg, cfgPath, err := profile.LoadConfig()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
		return cli.ExitUsage
	}
	name, prof, err := cfg.Profile(f.profile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
		return cli.ExitUsage
	}
	o, closePrompts := f.options(name)
	defer closePrompts()
	p, err := profile.New(name, prof, o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
		return cli.ExitFailure
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	deadline := o.LoginTimeout + 2*time.Minute
	if f.refreshIfNeeded {
		deadline = signin.AuthRefreshTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	switch {
	case f.explain:
		return cli.Explain(p, cfgPath, os.Stdout)
	case f.clearCache:
		return cli.ClearCache(p, os.Stderr)
	case f.checkExpiration:
		return cli.CheckExpiration(p, os.Stderr)
	case f.refreshIfNeeded:
		return cli.RefreshIfNeeded(ctx, p, refreshCommand(name), os.Stdout, os.Stderr)
	case f.monitoringToken:
		return cli.MonitoringToken(ctx, p, os.Stdout, os.Stderr)
	case f.showClaims:
		return cli.ShowClaims(ctx, p, os.Stdout, os.Stderr)
	}
	return cli.Credentials(ctx, p, os.Stdout, os.Stderr)
}

// options are the profile's options for this run. With --refresh-if-needed (Claude Code's
// awsAuthRefresh) the prompts go to stdout, which Claude Code shows, and the whole run stays
// within its time limit. Otherwise they go where a user sees them (login.Prompts), unless
// CCWB_SIGN_IN=defer leaves the sign-in to awsAuthRefresh.
func (f *flags) options(name string) (profile.Options, func()) {
	o := profile.Options{Stderr: os.Stderr, LoginTimeout: f.loginTimeout, Endpoints: profile.EndpointsFromEnv(), Version: version}
	o.SignIn.Login = f.login
	if f.refreshIfNeeded {
		o.SignIn.Prompt = os.Stdout
		o.LoginTimeout = min(o.LoginTimeout, signin.AuthRefreshTimeout-10*time.Second)
		return o, func() {}
	}
	if os.Getenv(signin.EnvSignIn) == signin.Defer {
		o.SignIn.Deferred = fmt.Errorf("sign-in needed: Claude Code signs you in by running `%s` (its awsAuthRefresh setting) and shows the prompt; in a terminal, run that command yourself", refreshCommand(name))
		o.SignIn.LockWait = signin.DeferredLockWait
		return o, func() {}
	}
	prompt, closePrompts := login.Prompts(os.Stderr)
	o.SignIn.Prompt = prompt
	return o, closePrompts
}

// refreshCommand is the command that signs in for this profile, as a user would type it.
func refreshCommand(name string) string {
	return signin.RefreshCommand("credential-process", name)
}
