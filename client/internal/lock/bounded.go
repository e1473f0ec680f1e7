package lock

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Bounded is a Locker that waits at most Wait for Locker, for a caller that must answer
// quickly (a credential process whose sign-in is deferred to Claude Code's awsAuthRefresh,
// while that sign-in holds the lock).
type Bounded struct {
	Locker Locker
	Wait   time.Duration
}

// Lock implements Locker.
func (b Bounded) Lock(ctx context.Context) (func(), error) {
	waitCtx, cancel := context.WithTimeout(ctx, b.Wait)
	defer cancel()
	unlock, err := b.Locker.Lock(waitCtx)
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return nil, fmt.Errorf("another sign-in of this profile is in progress (waited %s); finish it, then try again", b.Wait)
	}
	return unlock, err
}
