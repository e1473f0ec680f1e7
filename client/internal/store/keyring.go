package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// chunkSize keeps every keyring entry under Windows' 2560-byte limit (and macOS's ~4 KB).
const chunkSize = 2000

// keyringTimeout bounds one keyring call: a locked keyring may wait for a password prompt
// that nobody answers.
const keyringTimeout = 5 * time.Second

// Keyring keeps values in the OS keyring under service "ccwb:<profile>". A value longer
// than one entry is split: the entry under the key holds "chunks:N" and the parts live under
// key#1..key#N.
type Keyring struct {
	Service string
}

// NewKeyring returns the keyring store of a profile.
func NewKeyring(profile string) Keyring {
	return Keyring{Service: "ccwb:" + profile}
}

const chunkPrefix = "chunks:"

// Get reads a value, joining its chunks.
func (s Keyring) Get(key string) ([]byte, error) {
	head, err := s.get(key)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(head, chunkPrefix) {
		return []byte(head), nil
	}
	n, ok := chunks(head)
	if !ok {
		return nil, fmt.Errorf("%w: keyring entry %s/%s: bad chunk count %q", ErrCorrupt, s.Service, key, head)
	}
	var b strings.Builder
	for i := 1; i <= n; i++ {
		part, err := s.get(key + "#" + strconv.Itoa(i))
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("%w: keyring entry %s/%s: chunk %d of %d is missing", ErrCorrupt, s.Service, key, i, n)
		}
		if err != nil {
			return nil, fmt.Errorf("keyring entry %s/%s: chunk %d of %d: %w", s.Service, key, i, n, err)
		}
		b.WriteString(part)
	}
	return []byte(b.String()), nil
}

// Put writes a value, in chunks when long; the chunks are written before the entry that
// points at them, and chunks a longer previous value left behind are removed after.
func (s Keyring) Put(key string, value []byte) error {
	previous := s.chunkCount(key)
	v := string(value)
	n := 0
	if len(v) <= chunkSize {
		if err := s.set(key, v); err != nil {
			return err
		}
	} else {
		for off := 0; off < len(v); off += chunkSize {
			n++
			end := min(off+chunkSize, len(v))
			if err := s.set(key+"#"+strconv.Itoa(n), v[off:end]); err != nil {
				return err
			}
		}
		if err := s.set(key, chunkPrefix+strconv.Itoa(n)); err != nil {
			return err
		}
	}
	for i := n + 1; i <= previous; i++ {
		if err := s.del(key + "#" + strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

// chunkCount is how many chunks the value under key has (0 for none or a plain value).
func (s Keyring) chunkCount(key string) int {
	head, err := s.get(key)
	if err != nil {
		return 0
	}
	n, _ := chunks(head)
	return n
}

// chunks reads the chunk count of an entry that points at chunks ("chunks:N", 1 ≤ N ≤ 64);
// ok is false for anything else.
func chunks(head string) (n int, ok bool) {
	rest, found := strings.CutPrefix(head, chunkPrefix)
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n > 64 {
		return 0, false
	}
	return n, true
}

// Delete removes a value and its chunks.
func (s Keyring) Delete(key string) error {
	for i := s.chunkCount(key); i >= 1; i-- {
		if err := s.del(key + "#" + strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return s.del(key)
}

// Describe names the keyring service.
func (s Keyring) Describe() string { return "OS keyring, service " + s.Service }

func (s Keyring) get(user string) (string, error) {
	var v string
	err := withTimeout(func() error {
		var err error
		v, err = keyring.Get(s.Service, user)
		return err
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read keyring entry %s/%s: %w", s.Service, user, err)
	}
	return v, nil
}

func (s Keyring) set(user, v string) error {
	if err := withTimeout(func() error { return keyring.Set(s.Service, user, v) }); err != nil {
		return fmt.Errorf("write keyring entry %s/%s: %w", s.Service, user, err)
	}
	return nil
}

func (s Keyring) del(user string) error {
	err := withTimeout(func() error { return keyring.Delete(s.Service, user) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("delete keyring entry %s/%s: %w", s.Service, user, err)
	}
	return nil
}

// ErrKeyringTimeout means the keyring did not answer, typically because it is locked and
// waits for a password.
var ErrKeyringTimeout = errors.New("the keyring did not answer (is it locked?)")

func withTimeout(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(keyringTimeout):
		return ErrKeyringTimeout
	}
}
