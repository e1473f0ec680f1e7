// Package otelheaders is the otel-helper: it finds a valid ID token (the credential
// process's cache first, then the credential process itself) and prints the headers Claude
// Code's otelHeadersHelper expects. Claude Code reads only stdout, and a helper that prints
// nothing or something other than a JSON object breaks its telemetry set-up, so the output
// is always a JSON object: "{}" when no token can be had, with the reason on stderr.
package otelheaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/identity"
)

// TokenSource yields a raw ID token that is valid now.
type TokenSource interface {
	IDToken(ctx context.Context) (string, error)
}

// Chain tries each source in turn and returns the first token.
type Chain []TokenSource

// IDToken implements TokenSource.
func (c Chain) IDToken(ctx context.Context) (string, error) {
	var errs []error
	for _, s := range c {
		tok, err := s.IDToken(ctx)
		if err == nil {
			return tok, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return "", errors.New("no token source configured")
	}
	return "", errors.Join(errs...)
}

// Write prints the headers for the token from src on stdout. On failure it prints "{}" and
// the reason on stderr and returns the error (the command still exits 0: Claude Code
// ignores the exit status and needs the JSON).
func Write(ctx context.Context, src TokenSource, stdout, stderr io.Writer) error {
	out, err := render(ctx, src)
	if err != nil {
		fmt.Fprintf(stderr, "otel-helper: no telemetry headers: %v\n", err)
		out = []byte("{}\n")
	}
	if _, werr := stdout.Write(out); werr != nil && err == nil {
		err = fmt.Errorf("write headers: %w", werr)
	}
	return err
}

func render(ctx context.Context, src TokenSource) ([]byte, error) {
	tok, err := src.IDToken(ctx)
	if err != nil {
		return nil, fmt.Errorf("get an ID token: %w", err)
	}
	c, err := claims.Parse(tok)
	if err != nil {
		return nil, fmt.Errorf("read the ID token: %w", err)
	}
	if exp := c.Time("exp"); !exp.IsZero() && !exp.After(time.Now()) {
		return nil, fmt.Errorf("the ID token expired at %s; run the credential process to sign in again", exp.Format(time.RFC3339))
	}
	return identity.JSON(identity.Headers(c), tok), nil
}
