package cache

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/lock"
)

// CredentialsCache is an aws.CredentialsProvider that returns the cached credentials while
// they are fresh, and otherwise takes Lock, reads the cache again (a concurrent process may
// have filled it while this one waited) and asks Next, storing what it returns.
type CredentialsCache struct {
	Session *Session
	Next    aws.CredentialsProvider
	Lock    lock.Locker
}

// Retrieve implements aws.CredentialsProvider.
func (c *CredentialsCache) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if cr, ok := c.Session.Credentials(); ok {
		return cr, nil
	}
	unlock, err := c.Lock.Lock(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	defer unlock()
	if cr, ok := c.Session.Credentials(); ok {
		return cr, nil
	}
	cr, err := c.Next.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	if err := c.Session.SaveCredentials(cr); err != nil {
		c.Session.warn("ccwb: could not cache the AWS credentials (%v)\n", err)
	}
	return cr, nil
}

var _ aws.CredentialsProvider = (*CredentialsCache)(nil)
