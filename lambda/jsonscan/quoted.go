package jsonscan

import "bytes"

// Quoted reads JSON text held inside a JSON string (an EMF event in a CloudWatch Logs
// message) in place, without unescaping it first: the inner text's quotes are the outer
// string's \" escapes. It reads the plain form JSON encoders write: inner strings without
// escapes, spaces as the only white space, no other escape of the outer string. Its
// methods report false on anything else, valid or not; the caller then unescapes the
// string and reads it with a Scanner, which also names the error. So Quoted never needs
// to decide what is invalid, only what is plain.
type Quoted struct {
	data []byte
	pos  int
	// Objects and arrays skipped lately, kept across Resets: a writer repeats the same
	// metadata (EMF's _aws.CloudWatchMetrics for one metric and dimension set) in event
	// after event, and bytes read as one valid value before are one valid value again.
	seen [seenValues][]byte
	next int
}

// seenValues is how many skipped values Quoted remembers; minSeen the smallest it keeps.
const (
	seenValues = 16
	minSeen    = 64
)

// Reset starts reading data, which begins just after the outer string's opening quote.
func (q *Quoted) Reset(data []byte) { q.data, q.pos = data, 0 }

// Pos returns the number of bytes read.
func (q *Quoted) Pos() int { return q.pos }

// Since returns the bytes read from position start (a Pos) on.
func (q *Quoted) Since(start int) []byte { return q.data[start:q.pos] }

// Peek skips spaces and returns the next byte: '"' for the \" that starts an inner string,
// '\\' for any other escape, 0 at the outer string's closing quote or the end of input.
func (q *Quoted) Peek() byte {
	d := q.data
	for q.pos < len(d) && d[q.pos] == ' ' {
		q.pos++
	}
	if q.pos >= len(d) {
		return 0
	}
	switch c := d[q.pos]; {
	case c == '"':
		return 0
	case c == '\\' && q.pos+1 < len(d) && d[q.pos+1] == '"':
		return '"'
	default:
		return c
	}
}

// Consume skips spaces and the structural byte c ({ } [ ] : ,), if c is next.
func (q *Quoted) Consume(c byte) bool {
	if q.pos < len(q.data) && q.data[q.pos] == c { // the common case: no space before c
		q.pos++
		return true
	}
	if q.Peek() == c {
		q.pos++
		return true
	}
	return false
}

// Match consumes lit, bytes read before (by Str, say), if the input continues with it.
func (q *Quoted) Match(lit []byte) bool {
	if bytes.HasPrefix(q.data[q.pos:], lit) {
		q.pos += len(lit)
		return true
	}
	return false
}

// End skips spaces and the outer string's closing quote: the inner text ends there.
func (q *Quoted) End() bool {
	q.Peek()
	if q.pos < len(q.data) && q.data[q.pos] == '"' {
		q.pos++
		return true
	}
	return false
}

// Str reads an inner string without escapes and returns its content.
func (q *Quoted) Str() ([]byte, bool) {
	if q.Peek() != '"' {
		return nil, false
	}
	d := q.data
	start := q.pos + 2
	i := PlainEnd(d, start)
	if i+1 < len(d) && d[i] == '\\' && d[i+1] == '"' {
		q.pos = i + 2
		return d[start:i], true
	}
	return nil, false
}

// plainByte tells the bytes a string holds as they are: not '"', '\\' or a control character.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// Number reads a number and returns its literal text.
func (q *Quoted) Number() ([]byte, bool) {
	q.Peek()
	end, ok := numberEnd(q.data, q.pos)
	if !ok {
		return nil, false
	}
	start := q.pos
	q.pos = end
	return q.data[start:end], true
}

// Literal reads the literal lit (true, false, null).
func (q *Quoted) Literal(lit string) bool {
	q.Peek()
	if len(q.data)-q.pos < len(lit) || string(q.data[q.pos:q.pos+len(lit)]) != lit {
		return false
	}
	q.pos += len(lit)
	return true
}

// Skip reads and discards one value of any kind. An object or array it skipped lately is
// recognised by comparing bytes, without reading it again.
func (q *Quoted) Skip() bool {
	if c := q.Peek(); c != '{' && c != '[' {
		return q.skip(0)
	}
	rest := q.data[q.pos:]
	for _, v := range q.seen {
		// The last eight bytes first: values that differ mostly differ in length too.
		if n := len(v); n > 0 && n <= len(rest) && string(rest[n-8:n]) == string(v[n-8:]) && string(rest[:n]) == string(v) {
			q.pos += len(v)
			return true
		}
	}
	start := q.pos
	if !q.skip(0) {
		return false
	}
	if v := q.data[start:q.pos]; len(v) >= minSeen {
		q.seen[q.next] = append(q.seen[q.next][:0], v...)
		q.next = (q.next + 1) % seenValues
	}
	return true
}

func (q *Quoted) skip(depth int) bool {
	if depth > MaxDepth {
		return false
	}
	switch q.Peek() {
	case '"':
		_, ok := q.Str()
		return ok
	case '{':
		q.pos++
		if q.Consume('}') {
			return true
		}
		for {
			if _, ok := q.Str(); !ok || !q.Consume(':') || !q.skip(depth+1) {
				return false
			}
			if !q.Consume(',') {
				return q.Consume('}')
			}
		}
	case '[':
		q.pos++
		if q.Consume(']') {
			return true
		}
		for {
			if !q.skip(depth + 1) {
				return false
			}
			if !q.Consume(',') {
				return q.Consume(']')
			}
		}
	case 't':
		return q.Literal("true")
	case 'f':
		return q.Literal("false")
	case 'n':
		return q.Literal("null")
	default:
		_, ok := q.Number()
		return ok
	}
}
