package inflate

import (
	"errors"
	"fmt"
)

// The classes of failure. Every error the package returns is an *Error wrapping one of
// them, so callers can tell them apart with errors.Is.
var (
	// ErrLimit means the output would exceed the caller's limit.
	ErrLimit = errors.New("inflate: output exceeds the limit")
	// ErrTruncated means the input ends before the stream does.
	ErrTruncated = errors.New("inflate: truncated input")
	// ErrCorrupt means the DEFLATE data is invalid (bad block type, bad Huffman code,
	// distance beyond the output, ...).
	ErrCorrupt = errors.New("inflate: corrupt input")
	// ErrHeader means the input is not gzip: a bad magic number, compression method or
	// flags, or trailing bytes that do not start another gzip member.
	ErrHeader = errors.New("inflate: invalid gzip header")
	// ErrChecksum means a gzip member's CRC-32 (or its header's CRC-16) does not match
	// the data.
	ErrChecksum = errors.New("inflate: checksum mismatch")
	// ErrSize means a gzip member's ISIZE does not match the length of its data.
	ErrSize = errors.New("inflate: size mismatch")
)

// Error is what went wrong and where: Err is the class (ErrCorrupt, ...), Offset the byte
// of the input at which it was detected, Detail the specifics.
type Error struct {
	Err    error
	Offset int
	Detail string
}

// Error reads like "inflate: corrupt input at byte 1234: invalid distance 40000 beyond
// output".
func (e *Error) Error() string {
	return fmt.Sprintf("%v at byte %d: %s", e.Err, e.Offset, e.Detail)
}

// Unwrap returns the class, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

// newError builds an *Error; it is kept out of line so the decoding loops stay small.
//
//go:noinline
func newError(class error, offset int, format string, args ...any) error {
	return &Error{Err: class, Offset: offset, Detail: fmt.Sprintf(format, args...)}
}
