package inflate

// Decoder decodes DEFLATE and gzip, keeping its Huffman tables (about 12 KB) between
// calls so they are not allocated or zeroed each time. The zero value is ready to use. A
// Decoder is not safe for concurrent use: use one per goroutine.
type Decoder struct {
	litlen  litlenTable
	dist    distTable
	precode precodeTable
	lens    [286 + 30]uint8 // the code lengths of the current dynamic block
}

// AppendInflate appends to dst the decompressed content of the raw DEFLATE stream (RFC
// 1951) at the start of src, and returns the number of bytes of src the stream took; what
// follows is not looked at. Matches may only reach back into this stream's output, not
// into dst's existing content. It fails, returning dst unchanged (its length: bytes past
// it may have been written), with an error saying what is wrong when src is truncated or
// not valid DEFLATE, or would decompress to more than limit bytes (limit <= 0: no limit).
// src must not overlap the capacity of dst past its length, where the output goes.
func AppendInflate(dst, src []byte, limit int) (out []byte, consumed int, err error) {
	var d Decoder
	return d.AppendInflate(dst, src, limit)
}

// AppendInflate is the package's AppendInflate with d's tables.
func (d *Decoder) AppendInflate(dst, src []byte, limit int) (out []byte, consumed int, err error) {
	var s stream
	s.init(dst, src, 0, limit)
	s.reserve(4 * len(src)) // a guess; the output grows as needed
	if err := d.inflate(&s); err != nil {
		return dst, 0, err
	}
	return s.out[:s.op], s.consumed(), nil
}

// inflate decodes the DEFLATE stream of s, block by block, up to the end of the final
// block.
func (d *Decoder) inflate(s *stream) error {
	for {
		s.refill()
		final := s.bits&1 != 0
		typ := s.bits >> 1 & 3
		s.consume(3)
		var err error
		switch typ {
		case 0:
			err = s.stored()
		case 1:
			err = s.huffman(&fixedLitlen, &fixedDist)
		case 2:
			if err = d.readCodes(s); err == nil {
				err = s.huffman(&d.litlen, &d.dist)
			}
		default:
			err = s.fail(ErrCorrupt, "invalid block type 3")
		}
		if err != nil {
			return err
		}
		if s.truncated() {
			return s.fail(ErrTruncated, "")
		}
		if final {
			return nil
		}
	}
}
