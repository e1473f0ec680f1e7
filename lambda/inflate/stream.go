package inflate

import (
	"encoding/binary"
	"math"
)

// stream is the state of decoding one DEFLATE stream: the bit reader over the input, and
// the output with the bounds a match and the limit put on it.
//
// The bit reader holds up to 63 bits, the next one lowest. It loads 8 bytes at a time
// where 8 remain; near the end of the input it loads byte by byte and then zero bytes
// past it, counting them in overrun, so the decoding loops never check for the end of
// the input: consuming any of those zero bits means the input is truncated, which
// truncated reports. Bits above nb may hold the next input bits already (a whole-word
// load shifts in more than whole bytes); a refill ORs the same bits over them.
type stream struct {
	src     []byte
	pos     int    // the next byte of src to load
	bits    uint64 // bits loaded and not consumed
	nb      uint   // how many bits of bits are valid, at most 63
	overrun int    // zero bytes loaded past the end of src
	srcOff  int    // the offset of src[0] in the caller's input, for errors

	// out[:op] is the output so far (the caller's dst first), out[op:] the room to write
	// into; the fast loop's word stores may write past a match, within fastRoom.
	out    []byte
	op     int
	base   int // where this stream's output starts: matches may not reach before it
	start  int // where the caller's call started appending: the limit counts from here
	maxOut int // the output may not extend past out[maxOut]; len(out) <= maxOut+8
}

// noLimit stands for "no limit" in maxOut: far beyond any buffer that can be allocated,
// and far from overflowing int in the arithmetic on it.
const noLimit = math.MaxInt >> 2

// fastRoom is the room for output the fast loop needs to decode one symbol without
// checks: a match of 258 bytes copied in 16-byte steps (up to 14 bytes past its end), a
// match of up to 40 bytes copied in one step, or three literals.
const fastRoom = 272

// init prepares s to append to dst the output of src (which starts at srcOff in the
// caller's input), at most limit bytes (limit <= 0: no limit).
func (s *stream) init(dst, src []byte, srcOff, limit int) {
	*s = stream{src: src, srcOff: srcOff, start: len(dst), base: len(dst), op: len(dst)}
	s.maxOut = noLimit
	if limit > 0 && limit < noLimit-len(dst) {
		s.maxOut = len(dst) + limit
	}
	s.out = dst[:min(cap(dst), s.maxOut+8)]
}

// reserve makes room for n more bytes of output before the fast loop needs to grow it
// (a hint: it never reserves past the limit).
func (s *stream) reserve(n int) {
	if n > len(s.out)-s.op-fastRoom && len(s.out) < s.maxOut+8 {
		s.out = grow(s.out, s.op, s.op+min(n, s.maxOut-s.op), s.maxOut)
	}
}

// refill loads input until at least 56 bits are in the bit buffer, zero bytes past the
// end of the input.
func (s *stream) refill() {
	if s.pos <= len(s.src)-8 {
		s.bits |= binary.LittleEndian.Uint64(s.src[s.pos:]) << s.nb
		s.pos += int(63-s.nb) >> 3
		s.nb |= 56
		return
	}
	for s.nb < 56 {
		if s.pos < len(s.src) {
			s.bits |= uint64(s.src[s.pos]) << s.nb
			s.pos++
		} else {
			s.overrun++
		}
		s.nb += 8
	}
}

// consume drops the next n bits, n <= s.nb.
func (s *stream) consume(n uint) {
	s.bits >>= n
	s.nb -= n
}

// truncated reports whether bits past the end of the input have been consumed.
func (s *stream) truncated() bool { return s.overrun*8 > int(s.nb) }

// consumed returns how many bytes of the input the stream has consumed, the last one
// possibly in part. It is only meaningful when !s.truncated().
func (s *stream) consumed() int { return s.pos + s.overrun - int(s.nb>>3) }

// room makes sure n more bytes of output fit: within the limit, and in s.out.
func (s *stream) room(n int) error {
	if n > s.maxOut-s.op {
		return s.fail(ErrLimit, "output would exceed the limit of %d bytes", s.maxOut-s.start)
	}
	if n > len(s.out)-s.op {
		s.out = grow(s.out, s.op, s.op+n, s.maxOut)
	}
	return nil
}

// fail returns an error of the class at the current position, or a truncation error if
// the bits that led there lie past the end of the input.
func (s *stream) fail(class error, format string, args ...any) error {
	return failAt(s.srcOff, s.src, s.pos, s.nb, s.overrun, class, format, args...)
}

// failAt is fail for the decoding loop, which keeps the bit reader in locals. For an
// invalid symbol, nb is what it would be after the symbol's bits: if any of them lie past
// the end of the input, the input is truncated rather than corrupt.
//
//go:noinline
func failAt(srcOff int, src []byte, pos int, nb uint, overrun int, class error, format string, args ...any) error {
	if overrun*8 > int(nb) {
		return newError(ErrTruncated, srcOff+len(src), "input ends inside the DEFLATE stream")
	}
	used := (pos+overrun)*8 - int(nb) // bits consumed: the error is in the byte of the last
	return newError(class, srcOff+max(used-1, 0)/8, format, args...)
}

// grow returns a buffer holding out[:op] with room for output up to need (need <=
// maxOut): at least twice as large as out, at most maxOut+8 bytes.
//
//go:noinline
func grow(out []byte, op, need, maxOut int) []byte {
	n := max(2*len(out), need+fastRoom, 4096)
	n = min(n, maxOut+8)
	b := make([]byte, n)
	copy(b, out[:op])
	return b
}
