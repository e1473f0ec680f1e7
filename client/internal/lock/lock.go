// Package lock is the per-profile cross-process lock that makes concurrent invocations wait
// for one login instead of each opening a browser.
package lock

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

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
