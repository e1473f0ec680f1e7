// Package store keeps small secret values by key for one profile: in the OS keyring, in
// session files, or in the keyring with the files as fallback. It knows nothing of what the
// values mean; package cache gives them their types and their expiry.
package store

import (
	"errors"
)

// ErrNotFound is returned by Store.Get for a key that holds nothing.
var ErrNotFound = errors.New("not in cache")

// ErrCorrupt is returned by Store.Get for a value that cannot be read back whole.
var ErrCorrupt = errors.New("corrupt cache entry")

// Store holds small secret values by key for one profile.
type Store interface {
	Get(key string) ([]byte, error) // ErrNotFound when absent, ErrCorrupt when not whole
	Put(key string, value []byte) error
	Delete(key string) error // no error when absent
	// Describe says where the values live, for --explain.
	Describe() string
}
