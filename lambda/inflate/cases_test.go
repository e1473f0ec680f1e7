package inflate

import (
	"bytes"
	"compress/flate"
	"strings"
	"sync"
)

// deflateCase is a raw DEFLATE stream and what decoding it must give: the output, or an
// error of class err whose message contains detail.
type deflateCase struct {
	name   string
	stream []byte
	want   []byte // the output of a valid stream
	err    error  // the class of error of an invalid one
	detail string
}

// deflateCases are the hand-crafted and compressor-made DEFLATE streams of the table
// tests, one or more per block type and per error; they seed the fuzzers too.
var deflateCases = sync.OnceValue(func() []deflateCase {
	var cs []deflateCase
	ok := func(name string, stream []byte, want []byte) {
		cs = append(cs, deflateCase{name: name, stream: stream, want: want})
	}
	bad := func(name string, stream []byte, err error, detail string) {
		cs = append(cs, deflateCase{name: name, stream: stream, err: err, detail: detail})
	}
	fl, fd := fixedLitCode, fixedDistCode
	w := func() *bitWriter { return new(bitWriter) }

	// Stored blocks.
	ok("stored", w().stored(true, []byte("hello, world")).bytes(), []byte("hello, world"))
	ok("stored empty", w().stored(true, nil).bytes(), []byte{})
	big := bytes.Repeat([]byte("0123456789abcdef"), 4096)[:65535]
	ok("stored 65535 bytes", w().stored(true, big).bytes(), big)
	ok("stored after bits", w().header(false, 1).literals(fl, "ab").sym(fl, 256).stored(true, []byte("cd")).bytes(), []byte("abcd"))
	s := w().stored(true, []byte("hello")).bytes()
	s[3] ^= 1 // NLEN
	bad("stored length complement", s, ErrCorrupt, "does not match its complement")
	bad("stored truncated data", w().stored(true, []byte("hello")).bytes()[:7], ErrTruncated, "stored block")
	bad("stored truncated length", w().stored(true, []byte("hello")).bytes()[:3], ErrTruncated, "stored block")

	// Fixed blocks.
	ok("fixed literals", w().header(true, 1).literals(fl, "abc\x00\xff").sym(fl, 256).bytes(), []byte("abc\x00\xff"))
	ok("fixed empty", w().header(true, 1).sym(fl, 256).bytes(), []byte{})
	ok("fixed length 258 distance 1", w().header(true, 1).literals(fl, "x").match(fl, fd, 258, 1).sym(fl, 256).bytes(),
		bytes.Repeat([]byte("x"), 259))
	ok("fixed short patterns", w().header(true, 1).literals(fl, "abcdefg").match(fl, fd, 100, 3).match(fl, fd, 30, 2).
		match(fl, fd, 9, 4).match(fl, fd, 20, 5).match(fl, fd, 21, 6).match(fl, fd, 50, 7).sym(fl, 256).bytes(),
		lz77([]byte("abcdefg"), [][2]int{{100, 3}, {30, 2}, {9, 4}, {20, 5}, {21, 6}, {50, 7}}))
	prefix := bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog. "), 800)[:32768]
	{
		bw := w().stored(false, prefix).header(true, 1).match(fl, fd, 258, 32768)
		want := append(append([]byte(nil), prefix...), prefix[:258]...)
		ok("fixed distance 32768", bw.sym(fl, 256).bytes(), want)
	}
	{
		// Every length symbol and every distance symbol, each with its least and
		// greatest extra bits, after 32 KB of output.
		var matches [][2]int
		for i, base := range lengthBase {
			for _, l := range []int{int(base), int(base) + 1<<lengthExtra[i] - 1} {
				matches = append(matches, [2]int{min(l, 258), int(distBase[i]) + (i%2)*(1<<distExtra[i]-1)})
			}
		}
		for i, base := range distBase {
			for _, d := range []int{int(base), int(base) + 1<<distExtra[i] - 1} {
				matches = append(matches, [2]int{3 + i, d})
			}
		}
		bw := w().stored(false, prefix).header(true, 1)
		for _, m := range matches {
			bw.match(fl, fd, m[0], m[1])
		}
		ok("fixed all lengths and distances", bw.sym(fl, 256).bytes(), lz77(prefix, matches))
	}
	bad("fixed literal/length 286", w().header(true, 1).literals(fl, "a").sym(fl, 286).bytes(), ErrCorrupt, "invalid literal/length symbol")
	bad("fixed literal/length 287", w().header(true, 1).literals(fl, "a").sym(fl, 287).bytes(), ErrCorrupt, "invalid literal/length symbol")
	bad("fixed distance 30", w().header(true, 1).literals(fl, "abcd").sym(fl, 257).sym(fd, 30).sym(fl, 256).bytes(), ErrCorrupt, "invalid distance symbol")
	bad("fixed distance 31", w().header(true, 1).literals(fl, "abcd").sym(fl, 257).sym(fd, 31).sym(fl, 256).bytes(), ErrCorrupt, "invalid distance symbol")
	bad("distance beyond output", w().header(true, 1).literals(fl, "abc").match(fl, fd, 3, 4).sym(fl, 256).bytes(), ErrCorrupt, "invalid distance 4 beyond output (3 bytes)")
	bad("distance with no output", w().header(true, 1).match(fl, fd, 3, 1).sym(fl, 256).bytes(), ErrCorrupt, "invalid distance 1 beyond output (0 bytes)")
	bad("no end of block", w().header(true, 1).literals(fl, "abc").bytes(), ErrTruncated, "")
	bad("no final block", w().header(false, 1).literals(fl, "abc").sym(fl, 256).bytes(), ErrTruncated, "")
	bad("empty", nil, ErrTruncated, "")
	bad("block type 3", w().header(true, 3).bits(0, 16).bytes(), ErrCorrupt, "invalid block type 3")

	// Dynamic blocks.
	lits := func(n int, set map[int]uint8) []uint8 {
		l := make([]uint8, n)
		for s, v := range set {
			l[s] = v
		}
		return l
	}
	{
		// a b c EOB and two length codes of 3 bits, one distance code of 1 bit: the
		// single-code distance tree compress/flate accepts.
		bw := w()
		lc, dc := bw.dynamic(true, lits(258+2, map[int]uint8{'a': 2, 'b': 2, 'c': 3, 256: 3, 257: 3, 259: 3}), []uint8{1})
		bw.literals(lc, "abcab").match(lc, dc, 3, 1).match(lc, dc, 5, 1).sym(lc, 256)
		ok("dynamic single distance code", bw.bytes(), []byte("abcabbbbbbbbb"))
		bw = w()
		lc, dc = bw.dynamic(true, lits(258+2, map[int]uint8{'a': 2, 'b': 2, 'c': 3, 256: 3, 257: 3, 259: 3}), []uint8{1})
		bw.literals(lc, "abcab").sym(lc, 257).bits(1, 1).sym(lc, 256) // the missing distance code
		bad("dynamic missing distance code", bw.bytes(), ErrCorrupt, "invalid distance symbol")
	}
	{
		bw := w()
		lc, _ := bw.dynamic(true, lits(257, map[int]uint8{'a': 1, 256: 1}), []uint8{0})
		ok("dynamic literals, empty distance code", bw.literals(lc, "aaaa").sym(lc, 256).bytes(), []byte("aaaa"))
		bw = w()
		lc, _ = bw.dynamic(true, lits(258, map[int]uint8{'a': 1, 256: 2, 257: 2}), []uint8{0})
		bad("dynamic match with empty distance code", bw.literals(lc, "aaaa").sym(lc, 257).bits(0, 8).bytes(), ErrCorrupt, "invalid distance symbol")
		bw = w()
		lc, _ = bw.dynamic(true, lits(257, map[int]uint8{256: 1}), []uint8{0})
		ok("dynamic single literal/length code", bw.sym(lc, 256).bytes(), []byte{})
	}
	{
		// Codes of 1 to 15 bits (subtables in both tables).
		ll := lits(286, nil)
		syms := []int{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 256, 285, 'z', 270}
		for i, s := range syms {
			ll[s] = uint8(min(i+1, 15))
		}
		dl := make([]uint8, 30)
		for i := range dl {
			dl[i] = uint8(min(i+1, 15))
		}
		dl = dl[:16]
		dl[15] = 15
		bw := w()
		lc, dc := bw.dynamic(true, ll, dl)
		bw.literals(lc, "zabcdefghijkl")
		matches := [][2]int{{258, 1}, {23, 13}, {24, 12}, {258, 2}, {25, 100}, {26, 200}, {258, 250}}
		for _, m := range matches {
			bw.match(lc, dc, m[0], m[1])
		}
		want := lz77([]byte("zabcdefghijkl"), matches)
		ok("dynamic 15-bit codes", bw.literals(lc, "lz").sym(lc, 256).bytes(), append(want, "lz"...))
	}
	{
		// The code length code: repeats, and what is wrong with them.
		all := make([]uint8, 19)
		for i, s := range codeOrder {
			all[i] = precodeLens[s]
		}
		// 'a'-'d' of 3 bits and EOB of 1, the distance code one code of 1 bit: 10
		// zeros (17), 87 (18), 3, three more (16), 155 zeros (18, 17, 17), 1, 1.
		ops := []clen{{17, 7}, {18, 76}, {3, 0}, {16, 0}, {18, 127}, {17, 7}, {17, 4}, {1, 0}, {1, 0}}
		bw := w().dynamicHeader(true, 257, 1, all, ops)
		lc := canonical(lits(257, map[int]uint8{'a': 3, 'b': 3, 'c': 3, 'd': 3, 256: 1})...)
		ok("dynamic repeat codes", bw.literals(lc, "abcdda").sym(lc, 256).bytes(), []byte("abcdda"))

		bad("dynamic repeat with no previous length", w().dynamicHeader(true, 257, 1, all, []clen{{16, 0}}).bytes(), ErrCorrupt, "no previous length")
		bad("dynamic repeat past the codes", w().dynamicHeader(true, 257, 1, all, []clen{{18, 127}, {18, 127}, {18, 127}}).bytes(), ErrCorrupt, "repeat past")
		bad("dynamic 287 literal/length codes", w().dynamicHeader(true, 287, 1, all, nil).bytes(), ErrCorrupt, "287 literal/length codes")
		bad("dynamic 31 distance codes", w().dynamicHeader(true, 257, 31, all, nil).bytes(), ErrCorrupt, "31 distance codes")
		over := append([]uint8(nil), all...)
		over[3] = 1 // symbol 0 of 1 bit too
		bad("dynamic over-subscribed code length code", w().dynamicHeader(true, 257, 1, over, nil).bytes(), ErrCorrupt, "invalid code length code")
		bad("dynamic incomplete code length code", w().dynamicHeader(true, 257, 1, []uint8{0, 0, 0, 2, 2, 2}, nil).bytes(), ErrCorrupt, "invalid code length code")
		bad("dynamic empty code length code", w().dynamicHeader(true, 257, 1, []uint8{0, 0, 0, 0}, nil).bytes(), ErrCorrupt, "invalid code length symbol")
	}
	{
		bw := w()
		bw.dynamic(true, lits(257, map[int]uint8{'a': 1, 'b': 1, 256: 1}), []uint8{1})
		bad("dynamic over-subscribed literal/length code", bw.bytes(), ErrCorrupt, "invalid literal/length code")
		bw = w()
		bw.dynamic(true, lits(257, map[int]uint8{'a': 2, 'b': 2, 256: 2}), []uint8{1})
		bad("dynamic incomplete literal/length code", bw.bytes(), ErrCorrupt, "invalid literal/length code")
		bw = w()
		bw.dynamic(true, lits(257, map[int]uint8{'a': 1, 256: 1}), []uint8{1, 1, 1})
		bad("dynamic over-subscribed distance code", bw.bytes(), ErrCorrupt, "invalid distance code")
		bw = w()
		bw.dynamic(true, lits(257, map[int]uint8{'a': 1, 256: 1}), []uint8{2, 2, 2})
		bad("dynamic incomplete distance code", bw.bytes(), ErrCorrupt, "invalid distance code")
		bw = w()
		bw.dynamic(true, lits(257, map[int]uint8{'a': 1, 256: 1}), []uint8{2})
		bad("dynamic single distance code of 2 bits", bw.bytes(), ErrCorrupt, "invalid distance code")
	}

	// What the compressors make: every block type in one stream.
	text := []byte(strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 50))
	{
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.NoCompression)
		fw.Write(text[:100])
		fw.Flush()
		fw.Close()
		ok("compress/flate stored and fixed", b.Bytes(), text[:100])
	}
	{
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		fw.Write(text)
		fw.Flush() // an empty stored block
		fw.Write(text[:10])
		fw.Close()
		ok("compress/flate dynamic", b.Bytes(), append(append([]byte(nil), text...), text[:10]...))
	}
	return cs
})

// lz77 returns out followed by the matches {length, distance} copied byte by byte.
func lz77(out []byte, matches [][2]int) []byte {
	out = append([]byte(nil), out...)
	for _, m := range matches {
		for range m[0] {
			out = append(out, out[len(out)-m[1]])
		}
	}
	return out
}
