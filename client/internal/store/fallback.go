package store

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// Fallback uses Primary (the keyring) until it fails, then says so once on Warn and uses
// Secondary (session files) for the rest of the process.
type Fallback struct {
	Primary, Secondary Store
	Warn               io.Writer

	once   sync.Once
	failed bool
}

func (f *Fallback) fail(err error) {
	f.once.Do(func() {
		f.failed = true
		fmt.Fprintf(f.Warn, "ccwb: keyring unavailable (%v); using %s instead\n", err, f.Secondary.Describe())
	})
}

func (f *Fallback) current() Store {
	if f.failed {
		return f.Secondary
	}
	return f.Primary
}

// Get reads from the store in use; when the keyring fails it reads the files.
func (f *Fallback) Get(key string) ([]byte, error) {
	if !f.failed {
		v, err := f.Primary.Get(key)
		if err == nil || errors.Is(err, ErrNotFound) {
			return v, err
		}
		f.fail(err)
	}
	return f.Secondary.Get(key)
}

// Put writes to the store in use, falling back on a keyring failure.
func (f *Fallback) Put(key string, value []byte) error {
	if !f.failed {
		err := f.Primary.Put(key, value)
		if err == nil {
			return nil
		}
		f.fail(err)
	}
	return f.Secondary.Put(key, value)
}

// Delete removes the value from both stores.
func (f *Fallback) Delete(key string) error {
	var errs []error
	if !f.failed {
		if err := f.Primary.Delete(key); err != nil {
			f.fail(err)
		}
	}
	if err := f.Secondary.Delete(key); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Describe names the store in use.
func (f *Fallback) Describe() string {
	if f.failed {
		return f.Secondary.Describe() + " (keyring unavailable)"
	}
	return f.current().Describe() + " (falls back to " + f.Secondary.Describe() + ")"
}
