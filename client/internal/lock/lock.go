// Package lock is the per-profile cross-process lock that makes concurrent invocations wait
// for one sign-in instead of each opening a browser.
package lock

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// Locker serialises a profile's slow path (sign-in, refresh, federation) across processes.
// The caches always call it before they ask their source.
type Locker interface {
	// Lock waits until the lock is this caller's, or ctx ends; unlock releases it.
	Lock(ctx context.Context) (unlock func(), err error)
}

// File is the lock file at a path: the profile's lock.
type File string

// Lock implements Locker.
func (f File) Lock(ctx context.Context) (func(), error) { return Acquire(ctx, string(f)) }

// Held is the Locker of a caller that holds the profile's lock already (the credentials
// cache, around federation and the sign-in it needs). Taking the lock file again would wait
// until ctx ends: each acquisition of it excludes every other, in this process too.
var Held Locker = held{}

type held struct{}

func (held) Lock(context.Context) (func(), error) { return func() {}, nil }

// retryDelay is how often a waiter tries the lock again.
const retryDelay = 20 * time.Millisecond

// Acquire takes the lock file at path (creating its directory 0700), waiting until it is
// free or ctx ends. The returned function releases it.
func Acquire(ctx context.Context, path string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create lock directory: %w", err)
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLockContext(ctx, retryDelay)
	if err != nil {
		return nil, fmt.Errorf("wait for lock %s (another ccwb login is in progress): %w", path, err)
	}
	if !ok {
		return nil, fmt.Errorf("wait for lock %s: not acquired", path)
	}
	return func() { _ = fl.Unlock() }, nil
}
