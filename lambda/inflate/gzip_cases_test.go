package inflate

import (
	"bytes"
	"compress/flate"
	"sync"
)

// gzipCase is a gzip stream and what decoding it with limit must give: the output, or an
// error of class err whose message contains detail.
type gzipCase struct {
	name   string
	stream []byte
	limit  int
	want   []byte
	err    error
	detail string
	// The documented differences from compress/gzip: it accepts reserved flags, and
	// rejects file names and comments of 512 bytes or more.
	stdAccepts, stdRejects bool
}

// gzipCases are the gzip streams of the table tests, one or more per header field and per
// error; they seed the fuzzers too.
var gzipCases = sync.OnceValue(func() []gzipCase {
	var cs []gzipCase
	ok := func(name string, stream []byte, want []byte) {
		cs = append(cs, gzipCase{name: name, stream: stream, want: want})
	}
	bad := func(name string, stream []byte, err error, detail string) {
		cs = append(cs, gzipCase{name: name, stream: stream, err: err, detail: detail})
	}
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

	text := []byte("gzip header fields and members, gzip header fields and members")
	raw := new(bitWriter).header(true, 1).literals(fixedLitCode, string(text)).sym(fixedLitCode, 256).bytes()
	member := stdGzip(text, flate.BestCompression)
	ok("compress/gzip", member, text)
	ok("compress/gzip empty", stdGzip(nil, flate.DefaultCompression), []byte{})
	for _, f := range []struct {
		name  string
		flags byte
	}{
		{"none", 0}, {"FTEXT", flagText}, {"FHCRC", flagHCRC}, {"FEXTRA", flagExtra}, {"FNAME", flagName},
		{"FCOMMENT", flagComment}, {"all", flagText | flagHCRC | flagExtra | flagName | flagComment},
	} {
		ok("flags "+f.name, gzipMember(raw, text, f.flags), text)
	}
	ok("two members", cat(member, gzipMember(raw, text, flagName)), cat(text, text))
	ok("empty members", cat(stdGzip(nil, 0), member, stdGzip(nil, 9), klauspostGzip(text[:5], 1)), cat(text, text[:5]))

	bad("empty input", nil, ErrTruncated, "empty input")
	bad("bad magic", cat([]byte{0x1f, 0x8c}, member[2:]), ErrHeader, "not gzip")
	bad("not gzip", []byte("hello, world"), ErrHeader, "not gzip")
	m := bytes.Clone(member)
	m[2] = 7
	bad("compression method 7", m, ErrHeader, "compression method 7")
	m = gzipMember(raw, text, 0x20|flagName)
	cs = append(cs, gzipCase{name: "reserved flag", stream: m, err: ErrHeader, detail: "reserved flag bits 0x20", stdAccepts: true})
	m = gzipMember(raw, text, flagHCRC|flagComment)
	m[len(m)-len(raw)-8-1] ^= 0x40
	bad("header CRC mismatch", m, ErrChecksum, "header CRC-16")
	m = bytes.Clone(member)
	m[len(m)-8] ^= 1
	bad("CRC-32 mismatch", m, ErrChecksum, "content CRC-32")
	m = bytes.Clone(member)
	m[len(m)-1] ^= 1
	bad("ISIZE mismatch", m, ErrSize, "trailer says")
	bad("trailing garbage", cat(member, []byte("garbage, more than ten bytes")), ErrHeader, "28 bytes of trailing garbage after gzip member 1")
	bad("trailing zero bytes", cat(member, make([]byte, 16)), ErrHeader, "trailing garbage")
	bad("trailing zero byte", cat(member, []byte{0}), ErrHeader, "trailing garbage")
	bad("trailing 1f", cat(member, []byte{0x1f}), ErrTruncated, "header of gzip member 2")
	bad("trailing magic", cat(member, []byte{0x1f, 0x8b, 8}), ErrTruncated, "header of gzip member 2")
	bad("corrupt second member", cat(member, gzipMember(new(bitWriter).header(true, 3).bytes(), nil, 0)), ErrCorrupt, "invalid block type 3")
	m = gzipMember(raw, text, flagExtra)
	bad("truncated extra field", m[:14], ErrTruncated, "extra field")
	bad("truncated extra length", m[:11], ErrTruncated, "extra field")
	m = gzipMember(raw, text, flagName)
	bad("truncated name", m[:15], ErrTruncated, "file name")
	m = gzipMember(raw, text, flagComment)
	bad("truncated comment", m[:15], ErrTruncated, "comment")
	m = gzipMember(raw, text, flagHCRC)
	bad("truncated header CRC", m[:11], ErrTruncated, "header CRC")
	bad("truncated trailer", member[:len(member)-3], ErrTruncated, "trailer of member 1")
	bad("truncated deflate", member[:len(member)-10], ErrTruncated, "")

	var name bytes.Buffer
	for range 600 {
		name.WriteByte('n')
	}
	long := append(append([]byte{0x1f, 0x8b, 8, flagName, 0, 0, 0, 0, 0, 3}, name.Bytes()...), 0)
	long = append(long, gzipMember(raw, text, 0)[10:]...)
	cs = append(cs, gzipCase{name: "long file name", stream: long, want: text, stdRejects: true})

	for _, limit := range []int{len(text) - 1, 1} {
		cs = append(cs, gzipCase{name: "over limit", stream: member, limit: limit, err: ErrLimit, detail: "limit"})
	}
	cs = append(cs, gzipCase{name: "at limit", stream: member, limit: len(text), want: text})
	return cs
})

// hasLongHeaderString reports whether src holds what may be a gzip header with a file
// name or comment of 512 bytes or more, which compress/gzip rejects.
func hasLongHeaderString(src []byte) bool {
	for i := 0; i+10 <= len(src); i++ {
		h := src[i:]
		if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
			continue
		}
		flags, p := h[3], 10
		if flags&flagExtra != 0 {
			if len(h) < p+2 {
				continue
			}
			p += 2 + int(h[p]) + int(h[p+1])<<8
		}
		for _, f := range []byte{flagName, flagComment} {
			if flags&f == 0 || p > len(h) {
				continue
			}
			n := bytes.IndexByte(h[p:], 0)
			if n < 0 {
				break
			}
			if n >= 512 {
				return true
			}
			p += n + 1
		}
	}
	return false
}
