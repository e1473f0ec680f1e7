package inflate

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// The gzip header's flag bits (RFC 1952 section 2.3.1); the other three are reserved.
const (
	flagText     = 1 << 0 // FTEXT: the content is probably text; nothing to do
	flagHCRC     = 1 << 1 // FHCRC: a CRC-16 of the header follows it
	flagExtra    = 1 << 2 // FEXTRA: a length-prefixed extra field
	flagName     = 1 << 3 // FNAME: a NUL-terminated file name
	flagComment  = 1 << 4 // FCOMMENT: a NUL-terminated comment
	flagReserved = 0xe0
)

// maxRatio bounds the output of a DEFLATE stream per byte of input (a 258-byte match
// coded in two bits), which bounds how far a gzip trailer's ISIZE is trusted as a hint.
const maxRatio = 1032

// AppendGunzip appends to dst the decompressed content of src, one gzip stream (one or
// more concatenated members, as compress/gzip reads by default), verifying each member's
// CRC-32 and ISIZE. It fails, returning dst unchanged (its length: bytes past it may have
// been written), with an error saying what is wrong, when src is not valid gzip, is
// truncated, has trailing garbage, or would decompress to more than limit bytes in total
// (limit <= 0: no limit).
//
// Each member is decoded on its own: its matches may only reach back to its own start.
// The header's optional fields are skipped, its CRC-16 (FHCRC) verified. It differs from
// compress/gzip in two ways: it rejects reserved flag bits (compress/gzip ignores them),
// and it accepts file names and comments of any length (compress/gzip rejects those of
// 512 bytes or more).
//
// The output grows geometrically from the last member's ISIZE as a first guess, never past
// the limit (and 8 bytes of slack). src must not overlap the capacity of dst past its
// length, where the output goes.
func AppendGunzip(dst, src []byte, limit int) ([]byte, error) {
	var d Decoder
	return d.AppendGunzip(dst, src, limit)
}

// AppendGunzip is the package's AppendGunzip with d's tables.
func (d *Decoder) AppendGunzip(dst, src []byte, limit int) ([]byte, error) {
	var s stream
	s.init(dst, src, 0, limit)
	for off, member := 0, 1; ; member++ {
		body, err := readHeader(src, off, member)
		if err != nil {
			return dst, err
		}
		if member == 1 && len(src) >= 20 {
			isize := int(binary.LittleEndian.Uint32(src[len(src)-4:]))
			s.reserve(min(isize, maxRatio*len(src)))
		}
		s.src, s.srcOff, s.pos = src[body:], body, 0
		s.bits, s.nb, s.overrun = 0, 0, 0
		s.base = s.op
		if err := d.inflate(&s); err != nil {
			return dst, err
		}
		end := body + s.consumed()
		if len(src)-end < 8 {
			return dst, newError(ErrTruncated, len(src), "input ends inside the trailer of member %d", member)
		}
		content := s.out[s.base:s.op]
		if sum, want := crc32.ChecksumIEEE(content), binary.LittleEndian.Uint32(src[end:]); sum != want {
			return dst, newError(ErrChecksum, end, "member %d: content CRC-32 is %08x, trailer says %08x", member, sum, want)
		}
		if size, want := uint32(len(content)), binary.LittleEndian.Uint32(src[end+4:]); size != want {
			return dst, newError(ErrSize, end+4, "member %d: content is %d bytes (mod 2^32), trailer says %d", member, size, want)
		}
		off = end + 8
		if off == len(src) {
			return s.out[:s.op], nil
		}
	}
}

// readHeader checks the header of gzip member number member (from 1) at src[off:] and
// returns where its DEFLATE data starts.
func readHeader(src []byte, off, member int) (int, error) {
	h := src[off:]
	if len(h) >= 1 && h[0] != 0x1f || len(h) >= 2 && h[1] != 0x8b {
		if member > 1 {
			return 0, newError(ErrHeader, off, "%d bytes of trailing garbage after gzip member %d", len(h), member-1)
		}
		return 0, newError(ErrHeader, off, "not gzip: no magic number 1f 8b")
	}
	if len(h) < 10 {
		if len(h) == 0 {
			return 0, newError(ErrTruncated, off, "empty input")
		}
		return 0, newError(ErrTruncated, len(src), "input ends inside the header of gzip member %d", member)
	}
	if h[2] != 8 {
		return 0, newError(ErrHeader, off+2, "compression method %d, not 8 (deflate)", h[2])
	}
	flags := h[3]
	if flags&flagReserved != 0 {
		return 0, newError(ErrHeader, off+3, "reserved flag bits %#02x set", flags&flagReserved)
	}
	p := 10
	if flags&flagExtra != 0 {
		if len(h)-p < 2 {
			return 0, newError(ErrTruncated, len(src), "input ends inside the extra field of gzip member %d", member)
		}
		n := int(binary.LittleEndian.Uint16(h[p:]))
		if len(h)-p-2 < n {
			return 0, newError(ErrTruncated, len(src), "input ends inside the extra field of gzip member %d", member)
		}
		p += 2 + n
	}
	for _, f := range [...]struct {
		flag byte
		name string
	}{{flagName, "file name"}, {flagComment, "comment"}} {
		if flags&f.flag != 0 {
			n := bytes.IndexByte(h[p:], 0)
			if n < 0 {
				return 0, newError(ErrTruncated, len(src), "input ends inside the %s of gzip member %d", f.name, member)
			}
			p += n + 1
		}
	}
	if flags&flagHCRC != 0 {
		if len(h)-p < 2 {
			return 0, newError(ErrTruncated, len(src), "input ends inside the header CRC of gzip member %d", member)
		}
		sum, want := uint16(crc32.ChecksumIEEE(h[:p])), binary.LittleEndian.Uint16(h[p:])
		if sum != want {
			return 0, newError(ErrChecksum, off+p, "gzip member %d: header CRC-16 is %04x, header says %04x", member, sum, want)
		}
		p += 2
	}
	return off + p, nil
}
