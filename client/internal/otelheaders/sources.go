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

// Margin is how long a cached ID token must stay valid to be handed out: Claude Code keeps
// the headers for a while before it asks again.
const Margin = time.Minute

// Cached reads the ID token the credential process cached for the profile, without network,
// lock or login; it fails when there is none or it expires within Margin.
type Cached struct {
	Session *cache.Session
	Now     func() time.Time
}

// IDToken implements TokenSource.
func (c Cached) IDToken(context.Context) (string, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t, ok := c.Session.Tokens()
	switch {
	case !ok || t.IDToken == "":
		return "", errors.New("no cached ID token")
	case !t.IDExpiry.After(now().Add(Margin)):
		return "", fmt.Errorf("the cached ID token expires at %s", t.IDExpiry.Format(time.RFC3339))
	}
	return t.IDToken, nil
}

// CredentialProcess runs `credential-process --get-monitoring-token --profile P`, which
// refreshes or signs in (under the profile lock) and prints a valid ID token.
type CredentialProcess struct {
	Path    string        // the credential-process binary
	Profile string        // "" for the config's default profile
	Timeout time.Duration // 0 for no limit beyond ctx
	Stderr  *os.File      // where its prompts and diagnostics go (nil: discarded)
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

// IDToken implements TokenSource.
func (c CredentialProcess) IDToken(ctx context.Context) (string, error) {
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
