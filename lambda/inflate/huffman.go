package inflate

import (
	"encoding/binary"
	"math/bits"
)

// Decoding tables: a canonical Huffman code becomes a table indexed by the next
// tableBits bits of input (DEFLATE packs codes starting with their most significant bit,
// so the index is the code bit-reversed). A code no longer than tableBits fills every
// slot whose low bits are its reversed code; a longer code lives in a subtable that the
// slot of its first tableBits bits points to.
//
// An entry is a uint32 that says everything the decoding loop needs in one load:
//
//	bits  0-5   bits to consume: the code's length plus its extra bits (a length or
//	            distance), or tableBits for a subtable pointer
//	bits  8-11  the code's length, where the extra bits start; for a subtable pointer,
//	            the subtable's index bits
//	bit   13    with bit 15: end of block
//	bit   14    subtable pointer (bit 15 is set too)
//	bit   15    not a literal, length or distance: end of block, subtable pointer, or
//	            (alone) a symbol that is invalid here or a hole in an incomplete code
//	bits 16-30  the literal byte, the base length or distance, or the subtable's offset
//	bit   31    a literal, so int32(entry) < 0 tests for one
//
// Extracting the extra bits of a length or distance from the bits before consuming the
// entry is (bits & (1<<consumed - 1)) >> codeLength.
const (
	entryLiteral uint32 = 1 << 31
	entryExcept  uint32 = 1 << 15
	entrySub     uint32 = 1 << 14
	entryEnd     uint32 = 1 << 13
)

// Table geometry. The sizes are the largest tables a complete code can need (primary
// table plus subtables, as computed by zlib's "enough" program for these parameters);
// buildTable checks them anyway rather than trusting this comment.
const (
	litlenBits    = 11
	litlenMask    = 1<<litlenBits - 1
	litlenEnough  = 2342 // enough 288 11 15
	distBits      = 8
	distMask      = 1<<distBits - 1
	distEnough    = 402 // enough 32 8 15
	precodeBits   = 7   // code length codes are at most 7 bits: no subtables
	precodeMask   = 1<<precodeBits - 1
	maxCodeLen    = 15
	numLitlenSyms = 288 // 286 usable in dynamic blocks; fixed blocks code 286 and 287 too
	numDistSyms   = 32  // 30 usable; fixed blocks code 30 and 31 too
	numPrecode    = 19
)

type (
	litlenTable  [litlenEnough]uint32
	distTable    [distEnough]uint32
	precodeTable [1 << precodeBits]uint32
)

// Entry templates by symbol: the entry without its code length, with the number of extra
// bits in the "bits to consume" field so that adding the code length to both fields
// completes it.
var (
	litlenTemplates  [numLitlenSyms]uint32
	distTemplates    [numDistSyms]uint32
	precodeTemplates [numPrecode]uint32
)

// Base values and extra bits of the length symbols 257..285 and distance symbols 0..29
// (RFC 1951 section 3.2.5).
var (
	lengthBase = [29]uint32{
		3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
	}
	lengthExtra = [29]uint32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint32{
		1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
		257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
	}
	distExtra = [30]uint32{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// The fixed Huffman code of block type 1 (RFC 1951 section 3.2.6), built once.
var (
	fixedLitlen litlenTable
	fixedDist   distTable
)

func init() {
	for s := range litlenTemplates {
		switch {
		case s < 256:
			litlenTemplates[s] = entryLiteral | uint32(s)<<16
		case s == 256:
			litlenTemplates[s] = entryExcept | entryEnd
		case s < 286:
			litlenTemplates[s] = lengthBase[s-257]<<16 | lengthExtra[s-257]
		default:
			litlenTemplates[s] = entryExcept // 286 and 287: invalid
		}
	}
	for s := range distTemplates {
		if s < 30 {
			distTemplates[s] = distBase[s]<<16 | distExtra[s]
		} else {
			distTemplates[s] = entryExcept // 30 and 31: invalid
		}
	}
	for s := range precodeTemplates {
		precodeTemplates[s] = uint32(s) << 16
	}

	var lens [numLitlenSyms]uint8
	for s := range lens {
		switch {
		case s < 144:
			lens[s] = 8
		case s < 256:
			lens[s] = 9
		case s < 280:
			lens[s] = 7
		default:
			lens[s] = 8
		}
	}
	if !buildTable(fixedLitlen[:], lens[:], countLengths(lens[:]), litlenTemplates[:], litlenBits) {
		panic("inflate: fixed literal/length code")
	}
	for s := range numDistSyms {
		lens[s] = 5
	}
	if !buildTable(fixedDist[:], lens[:numDistSyms], countLengths(lens[:numDistSyms]), distTemplates[:], distBits) {
		panic("inflate: fixed distance code")
	}
}

// lengthCounts counts the codes of each length in lens.
type lengthCounts [maxCodeLen + 1]int

// countLengths returns how many symbols of lens have each code length.
func countLengths(lens []uint8) *lengthCounts {
	var c lengthCounts
	for _, l := range lens {
		c[l&maxCodeLen]++ // lengths are at most 15: the mask only helps the compiler
	}
	return &c
}

// buildTable fills table with the decoding entries of the canonical Huffman code whose
// code lengths by symbol are lens (0: the symbol has no code), count[l] of them of length
// l (count[0] is not used), the entries completing templates[symbol], indexed by
// tableBits bits. It reports false for a code that compress/flate rejects too:
// over-subscribed, or incomplete other than the empty code and the single code of one
// bit (zlib writes those; the missing codes decode as invalid entries).
func buildTable(table []uint32, lens []uint8, count *lengthCounts, templates []uint32, tableBits int) bool {
	left, total := 1, 0 // left: unused codes at the current length (Kraft's inequality)
	for l := 1; l <= maxCodeLen; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return false // over-subscribed
		}
		total += count[l]
	}
	if left > 0 && (total > 1 || total == 1 && count[1] != 1) {
		return false // incomplete
	}
	primary := table[:1<<tableBits]

	// The symbols sorted by code length, then by symbol: the canonical order. Symbols
	// without a code come in runs (most bytes never occur in text): skip 8 at a time.
	var offset [maxCodeLen + 1]int
	for l := 1; l < maxCodeLen; l++ {
		offset[l+1] = offset[l] + count[l]
	}
	var sorted [numLitlenSyms]uint16
	for s := 0; s < len(lens); s++ {
		if len(lens)-s >= 8 && binary.LittleEndian.Uint64(lens[s:]) == 0 {
			s += 7
			continue
		}
		if l := lens[s] & maxCodeLen; l != 0 {
			sorted[offset[l]] = uint16(s)
			offset[l]++
		}
	}

	// Codes that fit the primary table: each fills every slot its reversed code is a
	// suffix of. The codes of length l go into the table of the first 1<<l slots, which
	// is then doubled for length l+1: its second half repeats the first, each code of
	// length at most l then in every slot it needs. Where there are no codes (an
	// incomplete code), the invalid entry is doubled along.
	if left > 0 {
		primary[0], primary[1] = entryExcept, entryExcept
	}
	code, i := 0, 0 // the canonical code of sorted[i], of length l
	l := 1
	for ; l <= tableBits; l++ {
		entry := uint32(l)<<8 | uint32(l)
		for n := count[l]; n > 0; n-- {
			primary[reverse(code, l)] = templates[sorted[i]] + entry
			code++
			i++
		}
		code <<= 1
		if l < tableBits {
			copy(primary[1<<l:2<<l], primary[:1<<l])
		}
	}
	if total == 0 {
		return true
	}

	// Longer codes: those sharing their first tableBits bits are consecutive in
	// canonical order and share one subtable, sized to hold them all.
	next := len(primary) // where the next subtable goes
	prefix, sub, subBits := -1, 0, 0
	for ; l <= maxCodeLen; l++ {
		rest := l - tableBits
		entry := uint32(rest)<<8 | uint32(rest)
		for n := count[l]; n > 0; n-- {
			if p := reverse(code>>rest, tableBits); p != prefix {
				// The subtable holds the n remaining codes of this length if they
				// fill it, else it doubles for each longer length until the codes
				// that follow in canonical order fill it.
				bits, avail := rest, 1<<rest-n
				for m := l + 1; avail > 0 && m <= maxCodeLen; m++ {
					bits++
					avail = avail<<1 - count[m]
				}
				if next+1<<bits > len(table) {
					return false // cannot happen for a complete code; never index past the table
				}
				primary[p] = uint32(next)<<16 | entryExcept | entrySub | uint32(bits)<<8 | uint32(tableBits)
				prefix, sub, subBits = p, next, bits
				next += 1 << bits
			}
			e := templates[sorted[i]] + entry
			subtable := table[sub : sub+1<<subBits]
			for r := reverse(code&(1<<rest-1), rest); r < len(subtable); r += 1 << rest {
				subtable[r] = e
			}
			code++
			i++
		}
		code <<= 1
	}
	return true
}

// reverse returns the n low bits of code in reverse order.
func reverse(code, n int) int {
	return int(bits.Reverse16(uint16(code)) >> (16 - n))
}
