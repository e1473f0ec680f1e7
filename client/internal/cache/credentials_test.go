package cache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/store"
)

// federate hands out credentials, only while its lock is held.
type federate struct {
	calls int
	lock  *locker
	creds aws.Credentials
}

func (f *federate) Retrieve(context.Context) (aws.Credentials, error) {
	f.calls++
	if f.lock.held != 1 {
		return aws.Credentials{}, errors.New("federated without the lock")
	}
	return f.creds, nil
}

func TestCredentialsCache(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	creds := func(key string, left time.Duration) *aws.Credentials {
		return &aws.Credentials{AccessKeyID: key, SecretAccessKey: "s", SessionToken: "t", Expires: now.Add(left)}
	}
	for _, tc := range []struct {
		name         string
		cached       *aws.Credentials
		meanwhile    *aws.Credentials // stored by "another process" while this one waits for the lock
		want         string
		locks, calls int
	}{
		{"fresh: no lock, no federation", creds("CACHED", time.Hour), nil, "CACHED", 0, 0},
		{"inside the expiry window: federate under the lock", creds("STALE", ExpiryWindow-time.Second), nil, "NEW", 1, 1},
		{"nothing cached", nil, nil, "NEW", 1, 1},
		{"another process federated meanwhile", nil, creds("CACHED", time.Hour), "CACHED", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &Session{Store: store.Files{Dir: t.TempDir()}, Now: func() time.Time { return now }}
			if tc.cached != nil {
				if err := s.SaveCredentials(*tc.cached); err != nil {
					t.Fatal(err)
				}
			}
			l := &locker{}
			if tc.meanwhile != nil {
				l.whileWaiting = func() { _ = s.SaveCredentials(*tc.meanwhile) }
			}
			next := &federate{lock: l, creds: *creds("NEW", 8*time.Hour)}
			got, err := (&CredentialsCache{Session: s, Next: next, Lock: l}).Retrieve(context.Background())
			if err != nil || got.AccessKeyID != tc.want {
				t.Fatalf("Retrieve = %+v, %v; want %s", got, err, tc.want)
			}
			if l.taken != tc.locks || next.calls != tc.calls || l.held != 0 {
				t.Errorf("locks %d, federations %d, still held %d; want %d, %d, 0", l.taken, next.calls, l.held, tc.locks, tc.calls)
			}
			if c, ok := s.Credentials(); !ok || c.AccessKeyID != tc.want {
				t.Errorf("cache holds %+v after Retrieve, want %s", c, tc.want)
			}
		})
	}
}
