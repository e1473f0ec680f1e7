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
	"ccwb.dev/client/internal/token"
)

// Cached reads the tokens the credential process cached for the profile, without network,
// lock or sign-in; it fails when the token Need names is not fresh (cache.ExpiryWindow).
// With token.TelemetryToken the ID token only names the user and may have expired.
type Cached struct {
	Session *cache.Session
	Need    token.Need
}

// Token implements token.Source.
func (c Cached) Token(context.Context) (token.Tokens, error) { return c.Session.FreshTokens(c.Need) }

// Invalidate implements token.Source: it drops the cached tokens, keeping the refresh token
// with which the credential process renews them. It takes no lock: at worst it drops tokens
// that a concurrent sign-in has just stored, and the next use renews them silently.
func (c Cached) Invalidate(context.Context) error { return c.Session.DropTokens() }

// CredentialProcess runs `credential-process --get-monitoring-token --profile P`, which
// refreshes or signs in (under the profile lock) and prints the bearer token: the telemetry
// token or the ID token. With token.TelemetryToken the ID token that names the user is then
// read from Session, where the credential process has just cached it.
type CredentialProcess struct {
	Path    string        // the credential-process binary
	Profile string        // "" for the config's default profile
	Timeout time.Duration // 0 for no limit beyond ctx
	Stderr  *os.File      // where its prompts and diagnostics go (nil: discarded)
	Need    token.Need
	Session *cache.Session
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

// Token implements token.Source.
func (c CredentialProcess) Token(ctx context.Context) (token.Tokens, error) {
	bearer, err := c.run(ctx)
	if err != nil {
		return token.Tokens{}, err
	}
	if c.Need == token.IDToken {
		return token.Tokens{IDToken: bearer}, nil
	}
	if c.Session != nil {
		if t, ok := c.Session.Tokens(); ok && t.IDToken != "" {
			return token.Tokens{IDToken: t.IDToken, AccessToken: bearer}, nil
		}
	}
	return token.Tokens{}, errors.New("the credential process cached no ID token to name the user")
}

// Invalidate implements token.Source: the credential process keeps its cache itself.
func (CredentialProcess) Invalidate(context.Context) error { return nil }

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
