package inflate

import (
	"bytes"
	stdgzip "compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"math/bits"

	kgzip "github.com/klauspost/compress/gzip"
)

// A tiny DEFLATE writer for hand-crafted streams: the blocks and codes the compressors
// under test never write (bad ones included), the longest lengths and distances, and
// codes long enough to need subtables.

// bitWriter appends bits LSB first, as DEFLATE packs them.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

// bits writes the n low bits of v.
func (w *bitWriter) bits(v uint64, n uint) *bitWriter {
	w.acc |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
	return w
}

// align pads with zero bits to a byte boundary.
func (w *bitWriter) align() *bitWriter {
	if w.n > 0 {
		w.bits(0, 8-w.n)
	}
	return w
}

// bytes returns the stream so far, the last byte padded with zero bits.
func (w *bitWriter) bytes() []byte {
	b := append([]byte(nil), w.buf...)
	if w.n > 0 {
		b = append(b, byte(w.acc))
	}
	return b
}

// huff is a Huffman code: code lengths by symbol and the canonical codes.
type huff struct {
	lens  []uint8
	codes []uint32
}

// canonical returns the canonical code with the given lengths (RFC 1951 section 3.2.2).
func canonical(lens ...uint8) huff {
	var count, next [17]uint32
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	code := uint32(0)
	for l := 1; l <= 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	h := huff{lens: lens, codes: make([]uint32, len(lens))}
	for s, l := range lens {
		if l != 0 {
			h.codes[s] = next[l]
			next[l]++
		}
	}
	return h
}

// sym writes the code of symbol s, most significant bit first.
func (w *bitWriter) sym(h huff, s int) *bitWriter {
	l := uint(h.lens[s])
	return w.bits(uint64(bits.Reverse32(h.codes[s])>>(32-l)), l)
}

var (
	fixedLitCode  = canonical(fixedLitLens()...)
	fixedDistCode = canonical(bytes.Repeat([]byte{5}, 32)...)
)

// fixedLitLens returns the code lengths of the fixed literal/length code.
func fixedLitLens() []uint8 {
	lens := make([]uint8, 288)
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
	return lens
}

// header writes a block header.
func (w *bitWriter) header(final bool, typ uint64) *bitWriter {
	f := uint64(0)
	if final {
		f = 1
	}
	return w.bits(f, 1).bits(typ, 2)
}

// stored writes a whole stored block.
func (w *bitWriter) stored(final bool, data []byte) *bitWriter {
	w.header(final, 0).align()
	n := uint64(len(data))
	w.bits(n, 16).bits(^n&0xffff, 16)
	for _, b := range data {
		w.bits(uint64(b), 8)
	}
	return w
}

// literals writes the literal symbols of data.
func (w *bitWriter) literals(lit huff, data string) *bitWriter {
	for i := range len(data) {
		w.sym(lit, int(data[i]))
	}
	return w
}

// match writes a length/distance pair with codes lit and dist.
func (w *bitWriter) match(lit, dist huff, length, distance int) *bitWriter {
	ls := 28 // 258 as symbol 285, not 284 with extra bits
	for int(lengthBase[ls]) > length {
		ls--
	}
	w.sym(lit, 257+ls).bits(uint64(length-int(lengthBase[ls])), uint(lengthExtra[ls]))
	ds := 29
	for int(distBase[ds]) > distance {
		ds--
	}
	return w.sym(dist, ds).bits(uint64(distance-int(distBase[ds])), uint(distExtra[ds]))
}

// The code length code of dynamicHeader: symbols 0-12 of 4 bits, 13-18 of 5 (complete).
var precodeLens = [19]uint8{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5}

// clen is one code length code symbol with its extra bits.
type clen struct{ sym, extra int }

// dynamicHeader writes the header of a dynamic block: nlit and ndist as sent (257-288,
// 1-32), the code length code clens (as sent: in codeOrder, up to the last nonzero),
// and the code lengths as the symbols ops.
func (w *bitWriter) dynamicHeader(final bool, nlit, ndist int, clens []uint8, ops []clen) *bitWriter {
	w.header(final, 2).bits(uint64(nlit-257), 5).bits(uint64(ndist-1), 5).bits(uint64(len(clens)-4), 4)
	var byOrder [19]uint8
	for i, l := range clens {
		w.bits(uint64(l), 3)
		byOrder[codeOrder[i]] = l
	}
	pc := canonical(byOrder[:]...)
	for _, op := range ops {
		w.sym(pc, op.sym)
		switch op.sym {
		case 16:
			w.bits(uint64(op.extra), 2)
		case 17:
			w.bits(uint64(op.extra), 3)
		case 18:
			w.bits(uint64(op.extra), 7)
		}
	}
	return w
}

// dynamic writes the header of a dynamic block with the literal/length code lengths lit
// (257-286 of them) and distance code lengths dist (1-30), each length sent as is, and
// returns the two codes.
func (w *bitWriter) dynamic(final bool, lit, dist []uint8) (huff, huff) {
	clens := make([]uint8, 19)
	for i, s := range codeOrder {
		clens[i] = precodeLens[s]
	}
	var ops []clen
	for _, l := range append(append([]uint8(nil), lit...), dist...) {
		ops = append(ops, clen{sym: int(l)})
	}
	w.dynamicHeader(final, len(lit), len(dist), clens, ops)
	return canonical(lit...), canonical(dist...)
}

// gzipMember wraps a raw DEFLATE stream of content in a gzip member with the given
// header flags (their fields made up) and a correct trailer.
func gzipMember(deflate, content []byte, flags byte) []byte {
	h := []byte{0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 255}
	if flags&flagExtra != 0 {
		h = append(h, 5, 0, 'A', 'B', 3, 0, 'x')
	}
	if flags&flagName != 0 {
		h = append(h, "name.json\x00"...)
	}
	if flags&flagComment != 0 {
		h = append(h, "a comment\x00"...)
	}
	if flags&flagHCRC != 0 {
		h = binary.LittleEndian.AppendUint16(h, uint16(crc32.ChecksumIEEE(h)))
	}
	b := append(h, deflate...)
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(content))
	return binary.LittleEndian.AppendUint32(b, uint32(len(content)))
}

// stdGzip compresses data with compress/gzip at level.
func stdGzip(data []byte, level int) []byte {
	var b bytes.Buffer
	w, err := stdgzip.NewWriterLevel(&b, level)
	if err != nil {
		panic(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// klauspostGzip compresses data with github.com/klauspost/compress/gzip at level.
func klauspostGzip(data []byte, level int) []byte {
	var b bytes.Buffer
	w, err := kgzip.NewWriterLevel(&b, level)
	if err != nil {
		panic(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}
