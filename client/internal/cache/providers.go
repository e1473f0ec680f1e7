package cache

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Locker takes the profile's cross-process lock; the returned function releases it.
type Locker func(ctx context.Context) (release func(), err error)

// TokenSource produces fresh tokens given what is cached (perhaps only a refresh token).
type TokenSource interface {
	Tokens(ctx context.Context, cached Tokens) (Tokens, error)
}

// TokenCache hands out the cached ID token while it is valid and otherwise asks Next (under
// Lock, when set, re-reading the cache once the lock is held), storing what it returns.
type TokenCache struct {
	Session *Session
	Next    TokenSource
	Lock    Locker // nil when the caller already holds the lock
	// NeedAccessToken makes cached tokens valid only while the access token (the telemetry
	// token) is valid too.
	NeedAccessToken bool

	lastFromCache bool
}

// tokenMargin is how long a cached token must stay valid to be handed out.
const tokenMargin = time.Minute

// IDToken returns a valid raw ID token.
func (c *TokenCache) IDToken(ctx context.Context) (string, error) {
	t, err := c.Tokens(ctx)
	return t.IDToken, err
}

// Tokens returns cached tokens that are valid, or fresh ones from Next. With
// NeedAccessToken the access token of fresh tokens may still be missing (the identity
// provider issued none); the caller checks.
func (c *TokenCache) Tokens(ctx context.Context) (Tokens, error) {
	c.lastFromCache = true
	if t, ok := c.valid(); ok {
		return t, nil
	}
	if c.Lock != nil {
		release, err := c.Lock(ctx)
		if err != nil {
			return Tokens{}, err
		}
		defer release()
		if t, ok := c.valid(); ok { // another process logged in while we waited
			return t, nil
		}
	}
	c.lastFromCache = false
	cached, _ := c.Session.Tokens()
	t, err := c.Next.Tokens(ctx, cached)
	if err != nil {
		return Tokens{}, err
	}
	if err := c.Session.SaveTokens(t); err != nil {
		c.Session.warn("ccwb: could not cache the login (%v); you may be asked to sign in again\n", err)
	}
	return t, nil
}

// Forget drops the cached ID token (AWS rejected it), keeping the refresh token, and
// reports whether the last token handed out came from the cache.
func (c *TokenCache) Forget() bool {
	_ = c.Session.ForgetIDToken()
	return c.lastFromCache
}

func (c *TokenCache) valid() (Tokens, bool) {
	t, ok := c.Session.Tokens()
	soon := c.Session.now().Add(tokenMargin)
	if !ok || t.IDToken == "" || !t.IDExpiry.After(soon) {
		return Tokens{}, false
	}
	if c.NeedAccessToken && (t.AccessToken == "" || !t.AccessExpiry.After(soon)) {
		return Tokens{}, false
	}
	return t, true
}

// CredentialsCache is an aws.CredentialsProvider that returns cached credentials while they
// are valid for at least Margin, and otherwise calls Next under the profile lock (re-reading
// the cache once the lock is held, so concurrent callers share one login).
type CredentialsCache struct {
	Session *Session
	Next    aws.CredentialsProvider
	Lock    Locker
}

// Retrieve implements aws.CredentialsProvider.
func (c *CredentialsCache) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if cr, ok := c.Session.Credentials(); ok {
		return toAWS(cr), nil
	}
	release, err := c.Lock(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	defer release()
	if cr, ok := c.Session.Credentials(); ok {
		return toAWS(cr), nil
	}
	creds, err := c.Next.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	if err := c.Session.SaveCredentials(Credentials{
		AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey,
		SessionToken: creds.SessionToken, Expiration: creds.Expires,
	}); err != nil {
		c.Session.warn("ccwb: could not cache the AWS credentials (%v)\n", err)
	}
	return creds, nil
}

// Cached returns the cached credentials without calling anything (for --check-expiration).
func (c *CredentialsCache) Cached() (aws.Credentials, bool) {
	cr, ok := c.Session.Credentials()
	return toAWS(cr), ok
}

func toAWS(c Credentials) aws.Credentials {
	return aws.Credentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		CanExpire: true, Expires: c.Expiration, Source: "ccwb cache",
	}
}

// String describes the cache for error messages.
func (c *CredentialsCache) String() string {
	return fmt.Sprintf("credentials in %s", c.Session.Store.Describe())
}

var _ aws.CredentialsProvider = (*CredentialsCache)(nil)
