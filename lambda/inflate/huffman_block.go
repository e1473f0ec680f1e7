package inflate

import "encoding/binary"

// huffman decodes the symbols of a Huffman-coded block (type 1 or 2) with the tables lt
// and dt, up to its end-of-block code. It is where the time goes.
//
// The fast loop runs while 16 bytes of input and fastRoom bytes of room for output
// remain. Each iteration refills the bit buffer with one 8-byte load (to at least 56
// bits: a length code with its extra bits takes at most 20, a distance code with its
// extra bits at most 28, a literal at most 15) and decodes up to three literals or one
// match, storing without checks for room. The entry of the next symbol is looked up as
// soon as its bits are there, so that the load overlaps with the refill or the copy.
//
// The careful path decodes one symbol at a time near the end of the input (loading byte
// by byte) or of the room (growing the output), checking everything.
func (s *stream) huffman(lt *litlenTable, dt *distTable) error {
	src, pos, overrun := s.src, s.pos, s.overrun
	bits, nb := s.bits, s.nb
	out, op := s.out, s.op
	base, maxOut := s.base, s.maxOut
outer:
	for {
		if pos <= len(src)-16 && op <= len(out)-fastRoom {
			// The fast loop. At the top of each iteration, e is the entry of the next
			// symbol, looked up with at least litlenBits bits in the buffer.
			bits |= binary.LittleEndian.Uint64(src[pos:]) << (nb & 63)
			pos += int(63-nb) >> 3
			nb |= 56
			e := lt[bits&litlenMask]
			for {
				bits |= binary.LittleEndian.Uint64(src[pos:]) << (nb & 63)
				pos += int(63-nb) >> 3
				nb |= 56
				saved := bits
				bits >>= e & 63
				nb -= uint(e & 63)
				if int32(e) < 0 {
					// Up to two more literals: a literal takes at most 15 bits of
					// the 56, and the entry after them needs 11.
					out[op] = byte(e >> 16)
					op++
					e = lt[bits&litlenMask]
					if int32(e) < 0 {
						bits >>= e & 63
						nb -= uint(e & 63)
						out[op] = byte(e >> 16)
						op++
						e = lt[bits&litlenMask]
						if int32(e) < 0 {
							bits >>= e & 63
							nb -= uint(e & 63)
							out[op] = byte(e >> 16)
							op++
							e = lt[bits&litlenMask]
						}
					}
					if pos > len(src)-16 || op > len(out)-fastRoom {
						break
					}
					continue
				}
				if e&entryExcept != 0 {
					if e&entrySub != 0 {
						// litlenBits consumed; the subtable entry's code is at most
						// 4 more bits.
						e = lt[int(e>>16)+int(bits&(1<<(e>>8&15)-1))]
						saved = bits
						bits >>= e & 63
						nb -= uint(e & 63)
						if int32(e) < 0 {
							out[op] = byte(e >> 16)
							op++
							e = lt[bits&litlenMask]
							if pos > len(src)-16 || op > len(out)-fastRoom {
								break
							}
							continue
						}
					}
					if e&entryExcept != 0 {
						if e&entryEnd != 0 {
							break outer
						}
						return failAt(s.srcOff, src, pos, nb, overrun, ErrCorrupt, "invalid literal/length symbol")
					}
				}
				length := int(e>>16) + int(saved&(1<<(e&63)-1)>>(e>>8&15))

				// The distance's entry (at least 36 bits are left), then a refill for
				// its bits (at most 28 with the extra bits) and the next entry.
				e = dt[bits&distMask]
				bits |= binary.LittleEndian.Uint64(src[pos:]) << (nb & 63)
				pos += int(63-nb) >> 3
				nb |= 56
				if e&entryExcept != 0 {
					if e&entrySub == 0 {
						return failAt(s.srcOff, src, pos, nb-uint(e&63), overrun, ErrCorrupt, "invalid distance symbol")
					}
					bits >>= distBits
					nb -= distBits
					e = dt[int(e>>16)+int(bits&(1<<(e>>8&15)-1))]
					if e&entryExcept != 0 {
						return failAt(s.srcOff, src, pos, nb-uint(e&63), overrun, ErrCorrupt, "invalid distance symbol")
					}
				}
				saved = bits
				bits >>= e & 63
				nb -= uint(e & 63)
				dist := int(e>>16) + int(saved&(1<<(e&63)-1)>>(e>>8&15))
				if dist > op-base {
					return failAt(s.srcOff, src, pos, nb, overrun, ErrCorrupt, "invalid distance %d beyond output (%d bytes)", dist, op-base)
				}
				e = lt[bits&litlenMask] // at least 28 bits are left

				// Copy the match. Stores of whole words may write past its end, into
				// the room the loop keeps.
				from := op - dist
				switch {
				case dist >= length && length > 24:
					// Not overlapping, and long enough for copy's vector moves to pay.
					copy(out[op:op+length], out[from:from+length])
				case dist >= 8:
					// 8 bytes at a time, each load reading bytes already written: 40
					// bytes at once, which is most matches, then 16 at a time.
					d, m := out[op:op+40], out[from:from+40]
					binary.LittleEndian.PutUint64(d[0:], binary.LittleEndian.Uint64(m[0:]))
					binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(m[8:]))
					binary.LittleEndian.PutUint64(d[16:], binary.LittleEndian.Uint64(m[16:]))
					binary.LittleEndian.PutUint64(d[24:], binary.LittleEndian.Uint64(m[24:]))
					binary.LittleEndian.PutUint64(d[32:], binary.LittleEndian.Uint64(m[32:]))
					for i := 40; i < length; i += 16 {
						d, m := out[op+i:op+i+16], out[from+i:from+i+16]
						binary.LittleEndian.PutUint64(d[0:], binary.LittleEndian.Uint64(m[0:]))
						binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(m[8:]))
					}
				case dist == 1:
					v := uint64(out[from]) * 0x0101010101010101
					for i := 0; i < length; i += 16 {
						d := out[op+i : op+i+16]
						binary.LittleEndian.PutUint64(d[0:], v)
						binary.LittleEndian.PutUint64(d[8:], v)
					}
				default:
					// A pattern of 2 to 7 bytes: the first 8 bytes one at a time, then
					// 8 at a time from the nearest whole repeat of the pattern at least
					// 8 bytes back (within the bytes from out[from] on, which repeat
					// it).
					d, m := out[op:op+8], out[from:from+8]
					for i := range d {
						d[i] = m[i]
					}
					step := patternStep[dist&7]
					for i := 8; i < length; i += 8 {
						binary.LittleEndian.PutUint64(out[op+i:], binary.LittleEndian.Uint64(out[op+i-step:]))
					}
				}
				op += length
				if pos > len(src)-16 || op > len(out)-fastRoom {
					break
				}
			}
			continue
		}

		// The careful path: one symbol, near the end of the input or of the room.
		// Zero bytes are loaded past the end of the input; the block fails as
		// truncated as soon as any of their bits are consumed.
		if overrun*8 > int(nb) {
			return failAt(s.srcOff, src, pos, nb, overrun, ErrTruncated, "")
		}
		for nb < 56 {
			if pos < len(src) {
				bits |= uint64(src[pos]) << nb
				pos++
			} else {
				overrun++
			}
			nb += 8
		}
		e := lt[bits&litlenMask]
		if int32(e) >= 0 && e&entrySub != 0 {
			bits >>= litlenBits
			nb -= litlenBits
			e = lt[int(e>>16)+int(bits&(1<<(e>>8&15)-1))]
		}
		if int32(e) < 0 {
			if op >= maxOut {
				return failAt(s.srcOff, src, pos, nb, overrun, ErrLimit, "output would exceed the limit of %d bytes", maxOut-s.start)
			}
			if op >= len(out) {
				out = grow(out, op, op+1, maxOut)
			}
			bits >>= e & 63
			nb -= uint(e & 63)
			out[op] = byte(e >> 16)
			op++
			continue
		}
		if e&entryExcept != 0 {
			if e&entryEnd != 0 {
				bits >>= e & 63
				nb -= uint(e & 63)
				break outer
			}
			return failAt(s.srcOff, src, pos, nb-uint(e&63), overrun, ErrCorrupt, "invalid literal/length symbol")
		}
		saved := bits
		bits >>= e & 63
		nb -= uint(e & 63)
		length := int(e>>16) + int(saved&(1<<(e&63)-1)>>(e>>8&15))
		e = dt[bits&distMask]
		if e&entryExcept != 0 {
			if e&entrySub == 0 {
				return failAt(s.srcOff, src, pos, nb-uint(e&63), overrun, ErrCorrupt, "invalid distance symbol")
			}
			bits >>= distBits
			nb -= distBits
			e = dt[int(e>>16)+int(bits&(1<<(e>>8&15)-1))]
			if e&entryExcept != 0 {
				return failAt(s.srcOff, src, pos, nb-uint(e&63), overrun, ErrCorrupt, "invalid distance symbol")
			}
		}
		saved = bits
		bits >>= e & 63
		nb -= uint(e & 63)
		dist := int(e>>16) + int(saved&(1<<(e&63)-1)>>(e>>8&15))
		if dist > op-base {
			return failAt(s.srcOff, src, pos, nb, overrun, ErrCorrupt, "invalid distance %d beyond output (%d bytes)", dist, op-base)
		}
		if length > maxOut-op {
			return failAt(s.srcOff, src, pos, nb, overrun, ErrLimit, "output would exceed the limit of %d bytes", maxOut-s.start)
		}
		if length > len(out)-op {
			out = grow(out, op, op+length, maxOut)
		}
		for i := range length {
			out[op+i] = out[op-dist+i]
		}
		op += length
	}
	s.pos, s.overrun = pos, overrun
	s.bits, s.nb = bits, nb
	s.out, s.op = out, op
	return nil
}

// patternStep is, for distances 2 to 7, the least multiple of the distance that is at
// least 8.
var patternStep = [8]int{0, 8, 8, 9, 8, 10, 12, 14}
