// Package cache keeps a profile's AWS credentials and OIDC tokens between invocations, in
// the OS keyring or in session files, and wraps credential and token sources so that a
// valid cached value is returned without calling them.
package cache

import (
	"errors"
)

// ErrNotFound is returned by Store.Get for a key that holds nothing.
var ErrNotFound = errors.New("not in cache")

// ErrCorrupt is returned by Store.Get for a value that cannot be read back whole.
var ErrCorrupt = errors.New("corrupt cache entry")

// Store holds small secret values by key for one profile.
type Store interface {
	Get(key string) ([]byte, error) // ErrNotFound when absent
	Put(key string, value []byte) error
	Delete(key string) error // no error when absent
	// Describe says where the values live, for --explain.
	Describe() string
}

// Keys of the values a profile keeps.
const (
	KeyCredentials = "credentials"
	KeyTokens      = "tokens"
)
