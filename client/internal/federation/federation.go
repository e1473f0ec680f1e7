// Package federation exchanges a verified ID token for AWS credentials: directly with STS
// AssumeRoleWithWebIdentity, or through a Cognito Identity pool (GetId, GetOpenIdToken, then
// STS). It signs nothing and never touches the AWS default credential chain, which would run
// this very process again.
package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/claims"
	"ccwb.dev/client/internal/sessionname"
	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/provider"
)

// Endpoints override the AWS endpoints (tests, VPC endpoints); empty uses AWS's.
type Endpoints struct {
	STS, CognitoIdentity string
}

// Provider is an aws.CredentialsProvider that federates the ID token of Tokens.
type Provider struct {
	Profile    config.Profile
	Tokens     token.Source // the ID token
	Endpoints  Endpoints
	HTTPClient *http.Client // optional
	Stderr     io.Writer
}

// MaxAttempts is how often a throttled or failing AWS call is tried.
const MaxAttempts = 5

// Retrieve implements aws.CredentialsProvider. When AWS rejects an ID token that came from
// the cache, the token is invalidated and a fresh one tried, once. A token AWS rejects, or a
// role AWS refuses, leaves no ID token cached, so the next run gets new claims.
func (p *Provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	t, err := p.Tokens.Token(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := p.federate(ctx, t.IDToken)
	var rejected *TokenRejectedError
	if errors.As(err, &rejected) && t.Cached {
		fmt.Fprintf(p.Stderr, "ccwb: AWS rejected the cached identity token (%s); getting a new one\n", rejected.Code)
		if err := p.Tokens.Invalidate(ctx); err != nil {
			return aws.Credentials{}, fmt.Errorf("drop the rejected identity token: %w", err)
		}
		if t, err = p.Tokens.Token(ctx); err != nil {
			return aws.Credentials{}, err
		}
		creds, err = p.federate(ctx, t.IDToken)
	}
	var denied *AccessDeniedError
	if errors.As(err, &rejected) || errors.As(err, &denied) {
		_ = p.Tokens.Invalidate(ctx) // the error says what to do; a token left behind costs one retry
	}
	return creds, err
}

// sessionName is the RoleSessionName. With direct federation it is the ID token's subject,
// as the role's trust policy requires (sts:RoleSessionName = ${<issuer>:sub}, see
// docs/platform/iam-model.md): CloudTrail then names each session by the identity STS
// verified. Cognito's token carries the identity ID, which no session name can hold, so
// there the name is the email (or subject): asserted by the client, not verified.
func sessionName(federationType string, c claims.Claims) string {
	if federationType == federation.Cognito {
		return sessionname.From(c.String("email"), c.String("sub"))
	}
	return sessionname.From(c.String("sub"))
}

// federate exchanges one ID token for credentials.
func (p *Provider) federate(ctx context.Context, idToken string) (aws.Credentials, error) {
	c, _ := claims.Parse(idToken) // verified already; a parse failure only loses the name
	name := sessionName(p.Profile.FederationType, c)

	webIdentity := idToken
	if p.Profile.FederationType == federation.Cognito {
		var err error
		if webIdentity, err = p.cognitoToken(ctx, idToken); err != nil {
			return aws.Credentials{}, err
		}
	}
	sts := p.client(stsEndpoint(p.Endpoints.STS, p.Profile.Region))
	out, err := sts.assumeRoleWithWebIdentity(ctx, p.Profile.RoleARN, name, webIdentity, p.Profile.SessionDurationSeconds)
	if err != nil {
		return aws.Credentials{}, explain("STS AssumeRoleWithWebIdentity", p.Profile.RoleARN, err)
	}
	return aws.Credentials{
		AccessKeyID: out.AccessKeyID, SecretAccessKey: out.SecretAccessKey, SessionToken: out.SessionToken,
		CanExpire: true, Expires: out.Expiration.UTC(), Source: "ccwb " + p.Profile.FederationType,
	}, nil
}

// cognitoToken trades the IdP's ID token for a Cognito Identity OpenID token (classic flow,
// so STS honours the configured session duration up to the role's maximum).
func (p *Provider) cognitoToken(ctx context.Context, idToken string) (string, error) {
	cli := p.client(cognitoEndpoint(p.Endpoints.CognitoIdentity, p.Profile.Region))
	logins := map[string]string{provider.HostPath(p.Profile.Issuer): idToken}
	var id struct{ IdentityId string }
	if err := cli.cognito(ctx, "GetId", map[string]any{"IdentityPoolId": p.Profile.IdentityPoolID, "Logins": logins}, &id); err != nil {
		return "", explain("Cognito Identity GetId", p.Profile.IdentityPoolID, err)
	}
	var tok struct{ Token string }
	if err := cli.cognito(ctx, "GetOpenIdToken", map[string]any{"IdentityId": id.IdentityId, "Logins": logins}, &tok); err != nil {
		return "", explain("Cognito Identity GetOpenIdToken", p.Profile.IdentityPoolID, err)
	}
	if tok.Token == "" {
		return "", errors.New("Cognito Identity answered without a token")
	}
	return tok.Token, nil
}

func (p *Provider) client(endpoint string) *awsClient {
	return &awsClient{endpoint: endpoint, http: p.HTTPClient}
}

// TokenRejectedError means AWS refused the web identity token itself.
type TokenRejectedError struct {
	Code, Message string
}

func (e *TokenRejectedError) Error() string {
	return fmt.Sprintf("AWS did not accept your identity token (%s: %s). The sign-in was cleared; run the command again to sign in. If it keeps failing, the IAM identity provider does not trust this issuer and client ID: ask your administrator", e.Code, e.Message)
}

// AccessDeniedError means AWS refused the role (its trust policy does not admit this user).
type AccessDeniedError struct {
	Resource, Code, Message string
}

func (e *AccessDeniedError) Error() string {
	return fmt.Sprintf("AWS denied access to %s (%s: %s): your account may not be allowed to use Claude Code with Bedrock; ask your administrator", e.Resource, e.Code, e.Message)
}

// explain turns an AWS error into a message a user can act on.
func explain(op, resource string, err error) error {
	var api *APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("%s: cannot reach AWS (%v): check your network, proxy or VPN, then run the command again", op, err)
	}
	code, msg := api.Code, api.Message
	if api.Throttled() {
		return fmt.Errorf("%s is throttling requests (%s after %d attempts): wait a minute and run the command again", op, code, MaxAttempts)
	}
	switch code {
	case "InvalidIdentityToken", "ExpiredTokenException", "IDPRejectedClaim", "NotAuthorizedException":
		return &TokenRejectedError{Code: code, Message: msg}
	case "AccessDenied", "AccessDeniedException":
		return &AccessDeniedError{Resource: resource, Code: code, Message: msg}
	case "ResourceNotFoundException":
		return fmt.Errorf("%s: %s not found (%s): your config.json may be out of date; ask your administrator for a new package", op, resource, msg)
	case "RegionDisabledException":
		return fmt.Errorf("%s: STS is disabled in this region (%s): ask your administrator to activate it", op, msg)
	}
	return fmt.Errorf("%s failed (%s: %s): AWS may be having trouble; try again in a few minutes", op, code, msg)
}

var _ aws.CredentialsProvider = (*Provider)(nil)
