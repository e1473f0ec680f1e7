package lock

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// A bounded wait for a lock held elsewhere (a sign-in in progress) gives up after Wait with a
// message saying why, and takes a free lock at once.
func TestBoundedGivesUpAfterWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.lock")
	held, err := Acquire(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		_, err := Bounded{Locker: File(path), Wait: 20 * time.Second}.Lock(context.Background())
		if err == nil || !strings.Contains(err.Error(), "another sign-in of this profile is in progress (waited 20s)") {
			t.Fatalf("Lock = %v", err)
		}
		if took := time.Since(start); took < 20*time.Second || took > 21*time.Second {
			t.Errorf("gave up after %s, want 20s", took)
		}
	})
	held()
	unlock, err := Bounded{Locker: File(path), Wait: time.Second}.Lock(context.Background())
	if err != nil {
		t.Fatalf("a free lock: %v", err)
	}
	unlock()
}
