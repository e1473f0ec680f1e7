package otelheaders

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"ccwb.dev/client/internal/cache"
)

// Margin is how long a cached token must stay valid to be handed out: Claude Code keeps
// the headers for a while before it asks again.
const Margin = time.Minute

// Cached reads the tokens the credential process cached for the profile, without network,
// lock or login; it fails when the bearer is missing or expires within Margin. With
// Telemetry the bearer is the cached telemetry access token (the ID token then only names
// the user and may have expired); otherwise it is the ID token.
type Cached struct {
	Session   *cache.Session
	Telemetry bool
	Now       func() time.Time
}

// Tokens implements TokenSource.
func (c Cached) Tokens(context.Context) (Tokens, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t, ok := c.Session.Tokens()
	soon := now().Add(Margin)
	switch {
	case !ok || t.IDToken == "":
		return Tokens{}, errors.New("no cached ID token")
	case c.Telemetry && t.AccessToken == "":
		return Tokens{}, errors.New("no cached telemetry token")
	case c.Telemetry && !t.AccessExpiry.After(soon):
		return Tokens{}, fmt.Errorf("the cached telemetry token expires at %s", t.AccessExpiry.Format(time.RFC3339))
	case c.Telemetry:
		return Tokens{IDToken: t.IDToken, Bearer: t.AccessToken}, nil
	case !t.IDExpiry.After(soon):
		return Tokens{}, fmt.Errorf("the cached ID token expires at %s", t.IDExpiry.Format(time.RFC3339))
	}
	return Tokens{IDToken: t.IDToken, Bearer: t.IDToken}, nil
}

// CredentialProcess runs `credential-process --get-monitoring-token --profile P`, which
// refreshes or signs in (under the profile lock) and prints the bearer token: the telemetry
// token or the ID token. With Telemetry the ID token that names the user is then read from
// Session, where the credential process has just cached it.
type CredentialProcess struct {
	Path      string        // the credential-process binary
	Profile   string        // "" for the config's default profile
	Timeout   time.Duration // 0 for no limit beyond ctx
	Stderr    *os.File      // where its prompts and diagnostics go (nil: discarded)
	Telemetry bool
	Session   *cache.Session
}

// BesideExecutable returns the path of the credential-process installed next to the running
// binary (both are installed into the same folder).
func BesideExecutable() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("locate the otel-helper binary: %w", err)
	}
	name := "credential-process"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(filepath.Dir(self), name), nil
}

// Tokens implements TokenSource.
func (c CredentialProcess) Tokens(ctx context.Context) (Tokens, error) {
	bearer, err := c.run(ctx)
	if err != nil || !c.Telemetry {
		return Tokens{IDToken: bearer, Bearer: bearer}, err
	}
	if c.Session != nil {
		if t, ok := c.Session.Tokens(); ok && t.IDToken != "" {
			return Tokens{IDToken: t.IDToken, Bearer: bearer}, nil
		}
	}
	return Tokens{}, errors.New("the credential process cached no ID token to name the user")
}

func (c CredentialProcess) run(ctx context.Context) (string, error) {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	args := []string{"--get-monitoring-token"}
	if c.Profile != "" {
		args = append(args, "--profile", c.Profile)
	}
	cmd := exec.CommandContext(ctx, c.Path, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if c.Stderr != nil {
		cmd.Stderr = c.Stderr
	}
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("run %s %s: %w", c.Path, strings.Join(args, " "), err)
	}
	tok := strings.TrimSpace(out.String())
	if tok == "" || strings.ContainsAny(tok, " \n") {
		return "", fmt.Errorf("%s --get-monitoring-token printed no single token", c.Path)
	}
	return tok, nil
}
