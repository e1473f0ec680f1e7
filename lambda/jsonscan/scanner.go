// Package jsonscan reads JSON text in place for hot paths: no reflection, no values built,
// strings returned as raw slices of the input.
package jsonscan

import (
	"errors"
	"fmt"
)

// Scanner reads JSON text in place, without building values: strings come back as their
// raw (still escaped) bytes, numbers as their literal text. It validates what it reads, so
// a raw string it returns is valid JSON string content and may be copied verbatim into
// JSON output. It does not check UTF-8: bytes pass through as they are. The zero value is ready after Reset.
type Scanner struct {
	data []byte
	pos  int
}

// MaxDepth bounds the nesting of values skipped, so hostile input cannot exhaust the stack.
const MaxDepth = 64

// ErrEOF reports input that ends inside a value.
var ErrEOF = errors.New("unexpected end of JSON")

// Reset starts reading data.
func (s *Scanner) Reset(data []byte) { s.data, s.pos = data, 0 }

// Errorf returns an error that names the current input offset.
func (s *Scanner) Errorf(format string, args ...any) error {
	return fmt.Errorf("JSON at byte %d: %s", s.pos, fmt.Sprintf(format, args...))
}

// Peek skips white space and returns the next byte (0 at the end).
func (s *Scanner) Peek() byte {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// Consume skips white space and the byte c, if c is next.
func (s *Scanner) Consume(c byte) bool {
	if s.Peek() == c {
		s.pos++
		return true
	}
	return false
}

// Expect skips white space and the byte c, or reports an error.
func (s *Scanner) Expect(c byte) error {
	if s.Consume(c) {
		return nil
	}
	if s.pos >= len(s.data) {
		return ErrEOF
	}
	return s.Errorf("expected %q, found %q", c, s.data[s.pos])
}

// End reports an error unless only white space remains.
func (s *Scanner) End() error {
	if s.Peek() != 0 || s.pos < len(s.data) {
		return s.Errorf("unexpected data after the JSON value")
	}
	return nil
}

// Number reads a number and returns its literal text.
func (s *Scanner) Number() ([]byte, error) {
	s.Peek()
	end, ok := numberEnd(s.data, s.pos)
	if !ok {
		return nil, s.Errorf("invalid number")
	}
	start := s.pos
	s.pos = end
	return s.data[start:end], nil
}

// numberEnd returns the end of the JSON number starting at d[i], and whether one does.
func numberEnd(d []byte, i int) (int, bool) {
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := i
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	if i == digits || (d[digits] == '0' && i-digits > 1) {
		return i, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		f := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == f {
			return i, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		e := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == e {
			return i, false
		}
	}
	return i, true
}

// Skip reads and discards one value of any kind.
func (s *Scanner) Skip() error { return s.skip(0) }

func (s *Scanner) skip(depth int) error {
	if depth > MaxDepth {
		return s.Errorf("nesting deeper than %d", MaxDepth)
	}
	switch c := s.Peek(); c {
	case '"':
		_, _, err := s.Str()
		return err
	case '{':
		return s.Object(func(_ []byte, _ bool) error { return s.skip(depth + 1) })
	case '[':
		return s.Array(func() error { return s.skip(depth + 1) })
	case 't':
		return s.Literal("true")
	case 'f':
		return s.Literal("false")
	case 'n':
		return s.Literal("null")
	case 0:
		return ErrEOF
	default:
		_, err := s.Number()
		return err
	}
}

// Literal reads the literal lit (true, false, null).
func (s *Scanner) Literal(lit string) error {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		return s.Errorf("invalid literal")
	}
	s.pos += len(lit)
	return nil
}

// Object reads an object, calling field for each key with the scanner positioned at
// the value; field must read the value.
func (s *Scanner) Object(field func(key []byte, escaped bool) error) error {
	if err := s.Expect('{'); err != nil {
		return err
	}
	if s.Consume('}') {
		return nil
	}
	for {
		key, esc, err := s.Str()
		if err != nil {
			return err
		}
		if err := s.Expect(':'); err != nil {
			return err
		}
		if err := field(key, esc); err != nil {
			return err
		}
		if s.Consume(',') {
			continue
		}
		return s.Expect('}')
	}
}

// Array reads an array, calling elem with the scanner positioned at each element.
func (s *Scanner) Array(elem func() error) error {
	if err := s.Expect('['); err != nil {
		return err
	}
	if s.Consume(']') {
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if s.Consume(',') {
			continue
		}
		return s.Expect(']')
	}
}

const MaxDigits = 18

// Digits returns the value of the decimal digits d begins with, reading at most MaxDigits
// of them, and how many it read (0 when d does not begin with a digit).
func Digits(d []byte) (value int64, n int) {
	for n < len(d) && n < MaxDigits {
		c := d[n] - '0'
		if c > 9 {
			break
		}
		value = value*10 + int64(c)
		n++
	}
	return value, n
}
