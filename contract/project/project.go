// Package project finds the ccwb project: the repository root, which holds cdk.json
// (beside go.work and package.json). The admin CLI, the CDK app and the tests that need the
// project's Node or caches all find it here.
//
// It imports only errors, os and path/filepath: constructs/cdktest/cdkenv runs it in an
// init function that must come before any CDK package's (see that package).
package project

import (
	"errors"
	"os"
	"path/filepath"
)

// Marker is the file that marks the project root.
const Marker = "cdk.json"

// ErrNotFound is returned (wrapped) when no directory at or above the start holds Marker.
var ErrNotFound = errors.New("no " + Marker + " found")

// Root returns the nearest directory at or above dir that holds Marker, as an absolute path.
func Root(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if IsRoot(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", &notFound{abs}
		}
	}
}

// IsRoot reports whether dir holds Marker.
func IsRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, Marker))
	return err == nil
}

type notFound struct{ dir string }

func (e *notFound) Error() string { return "no " + Marker + " in " + e.dir + " or above" }
func (e *notFound) Unwrap() error { return ErrNotFound }
