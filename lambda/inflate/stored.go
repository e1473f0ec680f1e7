package inflate

import "encoding/binary"

// stored copies a stored block (type 0): after the bits up to the next byte boundary,
// LEN and its complement NLEN, then LEN bytes.
func (s *stream) stored() error {
	s.consume(s.nb & 7)
	if s.truncated() {
		return s.fail(ErrTruncated, "")
	}
	// Give the whole bytes in the bit buffer back to the input.
	s.pos -= int(s.nb>>3) - s.overrun
	s.bits, s.nb, s.overrun = 0, 0, 0
	if len(s.src)-s.pos < 4 {
		return newError(ErrTruncated, s.srcOff+len(s.src), "input ends inside a stored block's header")
	}
	n := int(binary.LittleEndian.Uint16(s.src[s.pos:]))
	if nn := int(binary.LittleEndian.Uint16(s.src[s.pos+2:])); n != nn^0xffff {
		return newError(ErrCorrupt, s.srcOff+s.pos, "stored block length %#04x does not match its complement %#04x", n, nn)
	}
	s.pos += 4
	if len(s.src)-s.pos < n {
		return newError(ErrTruncated, s.srcOff+len(s.src), "input ends inside a stored block of %d bytes", n)
	}
	if err := s.room(n); err != nil {
		return err
	}
	s.op += copy(s.out[s.op:], s.src[s.pos:s.pos+n])
	s.pos += n
	return nil
}
