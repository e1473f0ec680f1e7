package lock

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// The tests run in a synctest bubble: the waiters' retry timers run on its fake clock, and
// synctest.Wait says when every waiter is blocked.

func TestAcquireWaitsForTheHolder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sub", "profile.lock")
		release, err := Acquire(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan func(), 1)
		go func() {
			r, err := Acquire(context.Background(), path)
			if err != nil {
				t.Error(err)
				r = func() {}
			}
			got <- r
		}()
		synctest.Wait() // the second caller now waits for its next try
		select {
		case <-got:
			t.Fatal("second Acquire succeeded while the lock was held")
		default:
		}
		release()
		(<-got)() // its next try takes the lock
	})
}

func TestAcquireIsExclusive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "profile.lock")
		var inside, maxInside atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				release, err := Acquire(context.Background(), path)
				if err != nil {
					t.Error(err)
					return
				}
				maxInside.Store(max(maxInside.Load(), inside.Add(1)))
				time.Sleep(5 * time.Millisecond) // on the bubble's clock: the others try meanwhile
				inside.Add(-1)
				release()
			})
		}
		wg.Wait()
		if got := maxInside.Load(); got != 1 {
			t.Fatalf("%d holders at once, want 1", got)
		}
	})
}

func TestAcquireGivesUpWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "p.lock")
		release, err := Acquire(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := Acquire(ctx, path); err == nil {
			t.Fatal("second Acquire succeeded while the lock was held")
		}
	})
}

func TestHeldDoesNotWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.lock")
	unlock, err := File(path).Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a Locker that waited would fail now
	release, err := Held.Lock(ctx)
	if err != nil {
		t.Fatalf("Held.Lock with the lock held: %v", err)
	}
	release()
}
