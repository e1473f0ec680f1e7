package jsonscan

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

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
	for i < len(d) && d[i] >= 0x20 && d[i] != '"' && d[i] != '\\' {
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
