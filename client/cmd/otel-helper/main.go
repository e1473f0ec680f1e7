// Command otel-helper prints the OpenTelemetry headers of the signed-in user for Claude
// Code's otelHeadersHelper setting: the identity headers from the ID token's claims and
// "Authorization: Bearer <ID token>" for the collector. It reads the credential process's
// cache (no network) and runs the credential process beside it only when that cache has no
// valid token. It always prints a JSON object; on failure "{}" and the reason on stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"ccwb.dev/client/internal/chain"
	"ccwb.dev/client/internal/otelheaders"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	// Exit 0 even on failure: Claude Code reads only stdout, which is always a JSON object.
	_ = run(os.Args[1:], os.Stdout, os.Stderr)
}

func run(args []string, stdout io.Writer, stderr *os.File) error {
	fs := flag.NewFlagSet("otel-helper", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profile := fs.String("profile", "", "profile of config.json to use (default: the default or only profile)")
	credentialProcess := fs.String("credential-process", "", "credential-process binary to run when no valid token is cached (default: the one beside this binary)")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long the credential process may take to refresh or sign in")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stdout, "{}")
		return err
	}
	if *showVersion {
		fmt.Fprintln(stdout, "otel-helper", version)
		return nil
	}
	var sources otelheaders.Chain
	name, cached, err := cachedSource(*profile, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "otel-helper: %v\n", err)
	} else {
		sources = append(sources, cached)
	}
	path := *credentialProcess
	if path == "" {
		var err error
		if path, err = otelheaders.BesideExecutable(); err != nil {
			fmt.Fprintf(stderr, "otel-helper: %v\n", err)
		}
	}
	if path != "" {
		sources = append(sources, otelheaders.CredentialProcess{Path: path, Profile: name, Timeout: *timeout, Stderr: stderr})
	}
	return otelheaders.Write(context.Background(), sources, stdout, stderr)
}

// cachedSource reads the credential process's cache of the profile: the --profile flag, or
// else AWS_PROFILE when it names a profile of config.json (Claude Code runs the helper with
// its settings' environment, where the installer set AWS_PROFILE), or else the config's
// default profile. It returns the profile name for the credential process too.
func cachedSource(flagValue string, stderr io.Writer) (string, otelheaders.TokenSource, error) {
	cfg, _, err := chain.LoadConfig()
	if err != nil {
		return flagValue, nil, err
	}
	want := flagValue
	if env := os.Getenv("AWS_PROFILE"); want == "" && env != "" {
		if _, ok := cfg.Profiles[env]; ok {
			want = env
		}
	}
	name, prof, err := cfg.Profile(want)
	if err != nil {
		return want, nil, err
	}
	p, err := chain.New(name, prof, chain.Options{Stderr: stderr})
	if err != nil {
		return name, nil, err
	}
	return name, otelheaders.Cached{Session: p.Session}, nil
}
