// Package jsonscan reads JSON text in place for hot paths: no reflection, no values built,
// strings returned as raw slices of the input.
package jsonscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"unicode/utf8"
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

// Str reads a string and returns its raw content (escapes intact) and whether it holds
// any escape.
func (s *Scanner) Str() (raw []byte, escaped bool, err error) {
	if err := s.Expect('"'); err != nil {
		return nil, false, err
	}
	start := s.pos
	d := s.data
	for i := start; i < len(d); i++ {
		i = PlainEnd(d, i) // plain bytes: no quote, backslash or control character
		if i >= len(d) {
			break
		}
		switch c := d[i]; {
		case c == '"':
			s.pos = i + 1
			return d[start:i], escaped, nil
		case c == '\\':
			escaped = true
			i++
			if i >= len(d) {
				return nil, false, ErrEOF
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d) || !isHex4(d[i+1:i+5]) {
					s.pos = i
					return nil, false, s.Errorf("invalid \\u escape")
				}
				i += 4
			default:
				s.pos = i
				return nil, false, s.Errorf("invalid escape \\%c", d[i])
			}
		case c < 0x20:
			s.pos = i
			return nil, false, s.Errorf("control character in string")
		}
	}
	return nil, false, ErrEOF
}

// StrInto reads a string and appends its decoded content to dst, validating and decoding
// in one pass (for long strings full of escapes, such as JSON held in a JSON string).
func (s *Scanner) StrInto(dst []byte) ([]byte, error) {
	if err := s.Expect('"'); err != nil {
		return dst, err
	}
	d := s.data
	i := s.pos
	for {
		j := PlainEnd(d, i)
		dst = append(dst, d[i:j]...)
		if j >= len(d) {
			s.pos = j
			return dst, ErrEOF
		}
		switch c := d[j]; {
		case c == '"':
			s.pos = j + 1
			return dst, nil
		case c < 0x20:
			s.pos = j
			return dst, s.Errorf("control character in string")
		}
		// A backslash: decode one escape.
		if j+1 >= len(d) {
			s.pos = j
			return dst, ErrEOF
		}
		switch e := d[j+1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
			i = j + 2
		case 'b', 'f', 'n', 'r', 't':
			dst = append(dst, unescapes[e])
			i = j + 2
		case 'u':
			end := j + 6
			if end > len(d) || !isHex4(d[j+2:end]) {
				s.pos = j
				return dst, s.Errorf("invalid \\u escape")
			}
			// A surrogate pair is two escapes; Unescape joins them.
			if end+6 <= len(d) && d[end] == '\\' && d[end+1] == 'u' && isHex4(d[end+2:end+6]) {
				end += 6
			}
			dst = Unescape(dst, d[j:end])
			i = end
		default:
			s.pos = j + 1
			return dst, s.Errorf("invalid escape \\%c", e)
		}
	}
}

var unescapes = [256]byte{'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

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

// Rest returns the input not read yet.
func (s *Scanner) Rest() []byte { return s.data[s.pos:] }

// Advance moves past n bytes of Rest, which another reader (a Quoted) has read.
func (s *Scanner) Advance(n int) { s.pos += n }

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

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special8 marks, in the high bit of its byte, the first byte of x (little-endian: the
// lowest) that is '"', '\\' or below 0x20; bytes after it may be marked too. Each term
// is the "has a zero byte" test, (v - 0x01…) &^ v & 0x80…, of x^'"', x^'\\' and of x
// less 0x20: the three share the &^ x, since '"' and '\\' leave the high bit as it is.
func special8(x uint64) uint64 {
	quote := (x ^ (ones * '"')) - ones
	backslash := (x ^ (ones * '\\')) - ones
	control := x - ones*0x20
	return (quote | backslash | control) &^ x & highs
}

// MaxDigits is the most digits Digits reads: any 18 decimal digits fit an int64.
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

// PlainEnd returns the index of the first byte of d from i on that is '"', '\\' or a
// control character, or len(d): sixteen bytes at a time, then eight, then one.
func PlainEnd(d []byte, i int) int {
	for i+16 <= len(d) {
		w := d[i : i+16]
		lo, hi := special8(binary.LittleEndian.Uint64(w)), special8(binary.LittleEndian.Uint64(w[8:]))
		if lo|hi != 0 {
			if lo != 0 {
				return i + bits.TrailingZeros64(lo)>>3
			}
			return i + 8 + bits.TrailingZeros64(hi)>>3
		}
		i += 16
	}
	if i+8 <= len(d) {
		if m := special8(binary.LittleEndian.Uint64(d[i : i+8])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(d) && plainByte[d[i]] {
		i++
	}
	return i
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func hexVal(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		default:
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

// Unescape appends the decoded form of raw, the content of a JSON string as Str returns
// it (already validated), to dst.
func Unescape(dst, raw []byte) []byte {
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		c := raw[i+1]
		raw = raw[i+2:]
		switch c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hexVal(raw[:4])
			raw = raw[4:]
			if r >= 0xD800 && r < 0xDC00 && len(raw) >= 6 && raw[0] == '\\' && raw[1] == 'u' {
				if lo := hexVal(raw[2:6]); lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					raw = raw[6:]
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, c)
		}
	}
	return dst
}
