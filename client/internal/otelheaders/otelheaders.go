// Package otelheaders is the otel-helper: it checks that Claude Code's OTLP endpoints are the
// profile's collector, finds a fresh token (the credential process's cache first, then the
// credential process itself) and prints the headers Claude Code's otelHeadersHelper expects.
// Claude Code reads only stdout, and a helper that prints nothing or something other than a
// JSON object breaks its telemetry set-up, so the output is always a JSON object: "{}" when
// no token can be had, with the reason on stderr.
package otelheaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/identity"
	"ccwb.dev/client/internal/token"
)

// Chain tries each source in turn and returns the first tokens.
type Chain []token.Source

// Token implements token.Source.
func (c Chain) Token(ctx context.Context) (token.Tokens, error) {
	var errs []error
	for _, s := range c {
		t, err := s.Token(ctx)
		if err == nil {
			return t, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return token.Tokens{}, errors.New("no token source configured")
	}
	return token.Tokens{}, errors.Join(errs...)
}

// Invalidate implements token.Source: every source drops what it cached.
func (c Chain) Invalidate(ctx context.Context) error {
	var errs []error
	for _, s := range c {
		errs = append(errs, s.Invalidate(ctx))
	}
	return errors.Join(errs...)
}

// Telemetry, when its Audience is set, holds the bearer to the telemetry token's rule: a JWT
// for that audience, never one STS accepts (the client's audience).
type Telemetry struct {
	Audience, ClientID string
}

// Write prints the headers for the tokens from src on stdout. On failure it prints "{}" and
// the reason on stderr and returns the error (the command still exits 0: Claude Code
// ignores the exit status and needs the JSON).
func Write(ctx context.Context, src token.Source, tel Telemetry, stdout, stderr io.Writer) error {
	out, err := render(ctx, src, tel)
	if err != nil {
		return Refuse(stdout, stderr, err)
	}
	if _, err := stdout.Write(out); err != nil {
		return fmt.Errorf("write headers: %w", err)
	}
	return nil
}

// Refuse prints "{}" on stdout and the reason, as one line, on stderr, and returns the reason.
func Refuse(stdout, stderr io.Writer, reason error) error {
	fmt.Fprintf(stderr, "otel-helper: no telemetry headers: %s\n", strings.ReplaceAll(reason.Error(), "\n", "; "))
	_, _ = io.WriteString(stdout, "{}\n")
	return reason
}

// render makes the headers of src's tokens. Tokens from a cache that the collector would
// refuse are invalidated, and the source asked once more.
func render(ctx context.Context, src token.Source, tel Telemetry) ([]byte, error) {
	tok, err := src.Token(ctx)
	if err != nil {
		return nil, fmt.Errorf("get a token: %w", err)
	}
	out, err := headers(tok, tel)
	if err == nil || !tok.Cached {
		return out, err
	}
	if err := src.Invalidate(ctx); err != nil {
		return nil, fmt.Errorf("drop the cached token: %w", err)
	}
	if tok, err = src.Token(ctx); err != nil {
		return nil, fmt.Errorf("get a token: %w", err)
	}
	return headers(tok, tel)
}

// headers are the identity headers of the ID token's claims and the bearer for the collector.
func headers(tok token.Tokens, tel Telemetry) ([]byte, error) {
	c, err := claims.Parse(tok.IDToken)
	if err != nil {
		return nil, fmt.Errorf("read the ID token: %w", err)
	}
	bearer := tok.Bearer(token.ForCollector(tel.Audience))
	if tel.Audience != "" {
		if err := claims.CheckTelemetryToken(bearer, tel.Audience, tel.ClientID); err != nil {
			return nil, fmt.Errorf("not sending the telemetry token: %w", err)
		}
	} else if exp := c.Time("exp"); !exp.IsZero() && !exp.After(time.Now()) {
		return nil, fmt.Errorf("the ID token expired at %s; run the credential process to sign in again", exp.Format(time.RFC3339))
	}
	return identity.JSON(identity.Headers(c), bearer), nil
}
