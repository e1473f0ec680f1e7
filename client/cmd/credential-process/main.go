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
	"time"

	"ccwb.dev/client/internal/cli"
	"ccwb.dev/client/internal/oidclogin"
	"ccwb.dev/client/internal/profile"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() { os.Exit(run()) }

func run() int {
	fs := flag.NewFlagSet("credential-process", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	profileName := fs.String("profile", "", "profile of config.json to use (default: the default or only profile)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	clearCache := fs.Bool("clear-cache", false, "remove the profile's cached credentials and tokens")
	checkExpiration := fs.Bool("check-expiration", false, "exit 0 when cached credentials are valid, 1 otherwise (no network)")
	refreshIfNeeded := fs.Bool("refresh-if-needed", false, "make sure valid credentials are cached; print nothing on stdout")
	monitoringToken := fs.Bool("get-monitoring-token", false, "print the token the otel-helper sends to the collector (the telemetry access token, or else the ID token)")
	showClaims := fs.Bool("show-claims", false, "print the verified claims of the ID token (for support)")
	explain := fs.Bool("explain", false, "print the configuration, storage and cache state (no network)")
	loginTimeout := fs.Duration("login-timeout", oidclogin.DefaultTimeout, "how long to wait for the browser sign-in")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return cli.ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "ccwb: unexpected argument %q; see --help\n", fs.Arg(0))
		return cli.ExitUsage
	}
	if *showVersion {
		fmt.Println("credential-process", version)
		cli.VersionNotes(*profileName, version, os.Stdout)
		return cli.ExitOK
	}

	cfg, cfgPath, err := profile.LoadConfig()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
		return cli.ExitUsage
	}
	name, prof, err := cfg.Profile(*profileName)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
		return cli.ExitUsage
	}
	p, err := profile.New(name, prof, profile.Options{Stderr: os.Stderr, LoginTimeout: *loginTimeout, Endpoints: profile.EndpointsFromEnv(), Version: version})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ccwb: %v\n", err)
		return cli.ExitFailure
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *loginTimeout+2*time.Minute)
	defer cancel()
	switch {
	case *explain:
		return cli.Explain(p, cfgPath, os.Stdout)
	case *clearCache:
		return cli.ClearCache(p, os.Stderr)
	case *checkExpiration:
		return cli.CheckExpiration(p, os.Stderr)
	case *refreshIfNeeded:
		return cli.RefreshIfNeeded(ctx, p, os.Stderr)
	case *monitoringToken:
		return cli.MonitoringToken(ctx, p, os.Stdout, os.Stderr)
	case *showClaims:
		return cli.ShowClaims(ctx, p, os.Stdout, os.Stderr)
	}
	return cli.Credentials(ctx, p, os.Stdout, os.Stderr)
}
