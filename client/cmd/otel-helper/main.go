// Command otel-helper prints the OpenTelemetry headers of the signed-in user for Claude
// Code's otelHeadersHelper setting: the identity headers from the ID token's claims and
// "Authorization: Bearer <ID token>" for the collector. It prints them only when every OTLP
// endpoint of its environment is the profile's collector. It reads the credential process's
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

	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/otelheaders"
	"ccwb.dev/client/internal/profile"
	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/config"
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
	profileName := fs.String("profile", "", "profile of config.json to use (default: the default or only profile)")
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
	name, prof, session, err := profileSession(*profileName, stderr)
	if err != nil {
		return otelheaders.Refuse(stdout, stderr, err)
	}
	// Nothing, not even a sign-in, unless every OTLP endpoint Claude Code would use is the
	// profile's collector.
	dest := otelheaders.Destination{Endpoint: prof.OTelEndpoint, AllowPlainHTTP: prof.OTelAllowPlainHTTP}
	if err := dest.Check(os.LookupEnv); err != nil {
		return otelheaders.Refuse(stdout, stderr, err)
	}
	need := token.ForCollector(prof.TelemetryAudience)
	sources := otelheaders.Chain{otelheaders.Cached{Session: session, Need: need}}
	path := *credentialProcess
	if path == "" {
		var err error
		if path, err = otelheaders.BesideExecutable(); err != nil {
			fmt.Fprintf(stderr, "otel-helper: %v\n", err)
		}
	}
	if path != "" {
		sources = append(sources, otelheaders.CredentialProcess{Path: path, Profile: name, Timeout: *timeout, Stderr: stderr,
			Need: need, Session: session})
	}
	tel := otelheaders.Telemetry{Audience: prof.TelemetryAudience, ClientID: prof.ClientID}
	return otelheaders.Write(context.Background(), sources, tel, stdout, stderr)
}

// profileSession opens the credential process's cache of the profile: the --profile flag, or
// else AWS_PROFILE when it names a profile of config.json (Claude Code runs the helper with
// its settings' environment, where the installer set AWS_PROFILE), or else the config's
// default profile. It returns the profile's name and settings too.
func profileSession(flagValue string, stderr io.Writer) (string, config.Profile, *cache.Session, error) {
	cfg, _, err := profile.LoadConfig()
	if err != nil {
		return "", config.Profile{}, nil, err
	}
	want := flagValue
	if env := os.Getenv("AWS_PROFILE"); want == "" && env != "" {
		if _, ok := cfg.Profiles[env]; ok {
			want = env
		}
	}
	name, prof, err := cfg.Profile(want)
	if err != nil {
		return "", config.Profile{}, nil, err
	}
	session, err := profile.Session(name, prof, stderr)
	if err != nil {
		return "", config.Profile{}, nil, err
	}
	return name, prof, session, nil
}
