package cdktest

import (
	"errors"
	"fmt"
	"testing"
)

var errFatal = errors.New("fatal")

// recorder is a testing.TB that records the failure instead of failing the real test.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic(errFatal)
}
