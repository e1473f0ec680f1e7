package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"ccwb.dev/client/internal/atomicfile"
)

// Files keeps each value in its own file, mode 0600, in a 0700 directory, written to a
// temporary file and renamed into place so a reader never sees half a value.
type Files struct {
	Dir string // created on first write
}

func (s Files) path(key string) string { return filepath.Join(s.Dir, key+".json") }

// Get reads a value.
func (s Files) Get(key string) ([]byte, error) {
	b, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read session file: %w", err)
	}
	return b, nil
}

// Put writes a value atomically.
func (s Files) Put(key string, value []byte) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("create session directory: %w", err)
	}
	// MkdirAll leaves an existing directory alone: tighten it.
	if err := os.Chmod(s.Dir, 0o700); err != nil {
		return fmt.Errorf("secure session directory: %w", err)
	}
	if err := atomicfile.Write(s.path(key), value, 0o600); err != nil {
		return fmt.Errorf("write session file: %w", err)
	}
	return nil
}

// Delete removes a value.
func (s Files) Delete(key string) error {
	err := os.Remove(s.path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove session file: %w", err)
	}
	return nil
}

// Describe names the directory.
func (s Files) Describe() string { return "session files in " + s.Dir }
