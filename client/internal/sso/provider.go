package sso

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/federation"
)

// Provider is an aws.CredentialsProvider for one permission set (RoleName) in one account:
// the access portal's GetRoleCredentials with the bearer token of Tokens. When the portal
// refuses a token that came from the cache, the token is invalidated and a fresh one tried,
// once.
type Provider struct {
	Tokens    *Tokens
	AccountID string
	RoleName  string
	Stderr    io.Writer
}

// Retrieve implements aws.CredentialsProvider.
func (p *Provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	tok, err := p.Tokens.Token(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	c, err := p.Tokens.API.GetRoleCredentials(ctx, tok.AccessToken, p.AccountID, p.RoleName)
	var api *federation.APIError
	if errors.As(err, &api) && api.Code == "UnauthorizedException" && tok.Cached {
		fmt.Fprintf(p.Stderr, "ccwb: the access portal refused the cached sign-in (%s); renewing it\n", api.Code)
		if err := p.Tokens.Invalidate(ctx); err != nil {
			return aws.Credentials{}, fmt.Errorf("drop the refused sign-in: %w", err)
		}
		if tok, err = p.Tokens.Token(ctx); err != nil {
			return aws.Credentials{}, err
		}
		c, err = p.Tokens.API.GetRoleCredentials(ctx, tok.AccessToken, p.AccountID, p.RoleName)
	}
	if err != nil {
		if errors.As(err, &api) && api.Code == "UnauthorizedException" {
			_ = p.Tokens.Session.DropSSOAccessToken(true) // the next run signs in
		}
		return aws.Credentials{}, p.explain(err)
	}
	return aws.Credentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		CanExpire: true, Expires: time.UnixMilli(c.Expiration).UTC(), Source: "ccwb identity-center",
	}, nil
}

// explain turns a GetRoleCredentials error into what the user should do.
func (p *Provider) explain(err error) error {
	var api *federation.APIError
	if !errors.As(err, &api) {
		return explain("access portal GetRoleCredentials", err)
	}
	switch api.Code {
	case "ResourceNotFoundException", "ForbiddenException":
		return fmt.Errorf("you are not assigned the permission set %s in account %s (%s: %s): ask your administrator to add you to one of the groups the Claude Code deployment assigns it to", p.RoleName, p.AccountID, api.Code, api.Message)
	case "UnauthorizedException":
		return fmt.Errorf("the access portal did not accept your sign-in (%s: %s); it was cleared: run the command again to sign in", api.Code, api.Message)
	}
	return explain("access portal GetRoleCredentials", err)
}

var _ aws.CredentialsProvider = (*Provider)(nil)
