package inflate

// codeOrder is the order in which a dynamic block sends the code length code lengths.
var codeOrder = [numPrecode]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// readCodes reads the header of a dynamic block (type 2), the code lengths of its
// literal/length and distance codes, themselves Huffman-coded, and builds d's tables.
func (d *Decoder) readCodes(s *stream) error {
	s.refill()
	nlit := int(s.bits&31) + 257
	ndist := int(s.bits>>5&31) + 1
	nclen := int(s.bits>>10&15) + 4
	s.consume(14)
	if nlit > 286 {
		return s.fail(ErrCorrupt, "%d literal/length codes, more than 286", nlit)
	}
	if ndist > 30 {
		return s.fail(ErrCorrupt, "%d distance codes, more than 30", ndist)
	}
	var clens [numPrecode]uint8
	for _, sym := range codeOrder[:nclen] {
		if s.nb < 3 {
			s.refill()
		}
		clens[sym] = uint8(s.bits & 7)
		s.consume(3)
	}
	if !buildTable(d.precode[:], clens[:], countLengths(clens[:]), precodeTemplates[:], precodeBits) {
		return s.fail(ErrCorrupt, "invalid code length code")
	}

	// The code lengths, counted by length for each code as they come.
	n := nlit + ndist
	lens := d.lens[:n]
	var litCount, distCount lengthCounts
	for i := 0; i < n; {
		if s.nb < precodeBits+7 {
			s.refill()
		}
		e := d.precode[s.bits&precodeMask]
		if e&entryExcept != 0 {
			return s.fail(ErrCorrupt, "invalid code length symbol")
		}
		s.consume(uint(e & 63))
		sym := uint8(e >> 16)
		if sym < 16 {
			lens[i] = sym
			if i < nlit {
				litCount[sym]++
			} else {
				distCount[sym]++
			}
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return s.fail(ErrCorrupt, "code length repeat with no previous length")
			}
			rep, val = 3+int(s.bits&3), lens[i-1]
			s.consume(2)
		case 17:
			rep = 3 + int(s.bits&7)
			s.consume(3)
		default:
			rep = 11 + int(s.bits&127)
			s.consume(7)
		}
		if rep > n-i {
			return s.fail(ErrCorrupt, "code lengths repeat past the %d codes", n)
		}
		lit := min(rep, max(nlit-i, 0)) // a repeat may run on from one code into the other
		litCount[val&maxCodeLen] += lit
		distCount[val&maxCodeLen] += rep - lit
		for range rep {
			lens[i] = val
			i++
		}
	}
	if s.truncated() {
		return s.fail(ErrTruncated, "")
	}
	if !buildTable(d.litlen[:], lens[:nlit], &litCount, litlenTemplates[:nlit], litlenBits) {
		return s.fail(ErrCorrupt, "invalid literal/length code (over-subscribed or incomplete)")
	}
	if !buildTable(d.dist[:], lens[nlit:], &distCount, distTemplates[:ndist], distBits) {
		return s.fail(ErrCorrupt, "invalid distance code (over-subscribed or incomplete)")
	}
	return nil
}
