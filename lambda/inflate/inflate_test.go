package inflate

import (
	"bytes"
	"compress/flate"
	stdgzip "compress/gzip"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// stdInflate decodes a raw DEFLATE stream with compress/flate, returning the output and
// how many bytes of src it read.
func stdInflate(src []byte) ([]byte, int, error) {
	r := bytes.NewReader(src)
	out, err := io.ReadAll(flate.NewReader(r))
	return out, len(src) - r.Len(), err
}

// checkFailed checks that out is dst unchanged and err of class and with detail.
func checkFailed(t *testing.T, dst, out []byte, err, class error, detail string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", class)
	}
	if !errors.Is(err, class) {
		t.Errorf("error %q, want class %v", err, class)
	}
	if !strings.Contains(err.Error(), detail) {
		t.Errorf("error %q, want it to contain %q", err, detail)
	}
	if len(out) != len(dst) || !bytes.Equal(out, dst) {
		t.Errorf("on error returned %q, want dst %q", out, dst)
	}
}

func TestAppendInflateCases(t *testing.T) {
	var d Decoder // one for all cases: tables reused across block types
	for _, c := range deflateCases() {
		t.Run(c.name, func(t *testing.T) {
			dst := []byte("dst:")
			out, n, err := d.AppendInflate(dst, c.stream, 0)
			std, stdN, stdErr := stdInflate(c.stream)
			if c.err != nil {
				checkFailed(t, dst, out, err, c.err, c.detail)
				if stdErr == nil {
					t.Errorf("compress/flate accepts it")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out[len(dst):], c.want) || !bytes.HasPrefix(out, dst) {
				t.Errorf("output %.80q, want %.80q", out[len(dst):], c.want)
			}
			if n != len(c.stream) {
				t.Errorf("consumed %d bytes of %d", n, len(c.stream))
			}
			if stdErr != nil || !bytes.Equal(std, c.want) || stdN != n {
				t.Errorf("compress/flate: %v, %d bytes consumed, same output %v", stdErr, stdN, bytes.Equal(std, c.want))
			}

			// The same with trailing data, in gzip, and with the package function.
			if out, n, err := AppendInflate(nil, append(c.stream, "trailer"...), 0); err != nil || n != len(c.stream) || !bytes.Equal(out, c.want) {
				t.Errorf("with trailing data: %v, consumed %d of %d", err, n, len(c.stream))
			}
			gz := gzipMember(c.stream, c.want, flagExtra|flagName|flagComment|flagHCRC|flagText)
			if out, err := d.AppendGunzip(dst, gz, 0); err != nil || !bytes.Equal(out[len(dst):], c.want) {
				t.Errorf("gzip: %v", err)
			}
		})
	}
}

func TestAppendGunzipCases(t *testing.T) {
	for _, c := range gzipCases() {
		t.Run(c.name, func(t *testing.T) {
			dst := []byte("dst:")
			out, err := AppendGunzip(dst, c.stream, c.limit)
			std, stdErr := stdGunzip(c.stream, c.limit)
			if c.err != nil {
				checkFailed(t, dst, out, err, c.err, c.detail)
				if stdErr == nil && !c.stdAccepts {
					t.Errorf("compress/gzip accepts it")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out[len(dst):], c.want) || !bytes.HasPrefix(out, dst) {
				t.Errorf("output %.80q, want %.80q", out[len(dst):], c.want)
			}
			if c.stdRejects {
				if stdErr == nil {
					t.Errorf("compress/gzip accepts it too")
				}
			} else if stdErr != nil || !bytes.Equal(std, c.want) {
				t.Errorf("compress/gzip: %v, same output %v", stdErr, bytes.Equal(std, c.want))
			}
		})
	}
}

// stdGunzip decodes src with compress/gzip (multistream), failing as AppendGunzip does
// past limit bytes.
func stdGunzip(src []byte, limit int) ([]byte, error) {
	zr, err := stdgzip.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	r := io.Reader(zr)
	if limit > 0 {
		r = io.LimitReader(zr, int64(limit)+1)
	}
	out, err := io.ReadAll(r)
	if err == nil && limit > 0 && len(out) > limit {
		err = ErrLimit
	}
	return out, err
}

// TestTruncated cuts valid streams at every byte: each prefix must fail as truncated.
func TestTruncated(t *testing.T) {
	// check cuts full at every byte but the ends of members, where the stream is whole.
	check := func(t *testing.T, name string, full []byte, decode func([]byte) error, ends ...int) {
		for n := range len(full) {
			if slices.Contains(ends, n) {
				continue
			}
			err := decode(full[:n])
			if !errors.Is(err, ErrTruncated) {
				t.Errorf("%s cut to %d of %d bytes: %v, want truncated", name, n, len(full), err)
			}
		}
	}
	var d Decoder
	for _, c := range deflateCases() {
		if c.err != nil || len(c.stream) > 2000 {
			continue
		}
		check(t, c.name, c.stream, func(b []byte) error {
			_, _, err := d.AppendInflate(nil, b, 0)
			return err
		})
		gz := gzipMember(c.stream, c.want, flagExtra|flagName|flagComment|flagHCRC)
		check(t, c.name+" in gzip", gz, func(b []byte) error {
			_, err := d.AppendGunzip(nil, b, 0)
			return err
		})
	}
	text := []byte(strings.Repeat("truncated at every byte, ", 40))
	for _, level := range []int{flate.HuffmanOnly, flate.NoCompression, flate.BestSpeed, flate.BestCompression} {
		first := stdGzip(text, level)
		gz := append(first, stdGzip(text[:7], level)...) // a second member
		check(t, fmt.Sprint("compress/gzip level ", level), gz, func(b []byte) error {
			_, err := d.AppendGunzip(nil, b, 0)
			return err
		}, len(first))
	}
}

func TestLimit(t *testing.T) {
	data := bytes.Repeat([]byte("limit "), 10000)
	gz := stdGzip(data, flate.DefaultCompression)
	stored := stdGzip(data, flate.NoCompression)
	two := append(append([]byte(nil), gz...), gz...)
	for _, c := range []struct {
		name  string
		src   []byte
		limit int
		want  int // output length, or -1 for ErrLimit
	}{
		{"exact", gz, len(data), len(data)},
		{"one short", gz, len(data) - 1, -1},
		{"small", gz, 1, -1},
		{"none", gz, 0, len(data)},
		{"negative", gz, -5, len(data)},
		{"stored exact", stored, len(data), len(data)},
		{"stored one short", stored, len(data) - 1, -1},
		{"two members exact", two, 2 * len(data), 2 * len(data)},
		{"two members one short", two, 2*len(data) - 1, -1},
		{"second member over", two, len(data) + 10, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, dst := range [][]byte{nil, []byte("prefix"), make([]byte, 3, 1<<20)} {
				out, err := AppendGunzip(dst, c.src, c.limit)
				if c.want < 0 {
					checkFailed(t, dst, out, err, ErrLimit, "output would exceed the limit")
					continue
				}
				if err != nil || len(out)-len(dst) != c.want {
					t.Errorf("dst of %d/%d: %v, %d bytes, want %d", len(dst), cap(dst), err, len(out)-len(dst), c.want)
				}
			}
		})
	}
	t.Run("inflate", func(t *testing.T) {
		raw := stored[10 : len(stored)-8]
		if _, _, err := AppendInflate(nil, raw, len(data)-1); !errors.Is(err, ErrLimit) {
			t.Errorf("AppendInflate: %v, want ErrLimit", err)
		}
		if out, _, err := AppendInflate(nil, raw, len(data)); err != nil || len(out) != len(data) {
			t.Errorf("AppendInflate: %v", err)
		}
	})
}

// TestZipBomb checks the limit holds against a stream that decompresses to far more,
// without allocating much more than the limit: with an honest ISIZE at once, with a
// lying one geometrically (at most the limit plus 8 bytes for the last buffer).
func TestZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses 64 MB")
	}
	const limit = 16 << 20
	bomb := stdGzip(make([]byte, 64<<20), flate.BestCompression)
	lying := append([]byte(nil), bomb...)
	copy(lying[len(lying)-4:], []byte{0, 0, 0, 0}) // ISIZE 0: no hint
	for _, c := range []struct {
		name     string
		src      []byte
		maxAlloc uint64
	}{
		{"honest ISIZE", bomb, limit + 64<<10},
		{"lying ISIZE", lying, 2*limit + 64<<10},
	} {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := AppendGunzip(nil, c.src, limit)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("%v, want ErrLimit", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > c.maxAlloc {
				t.Errorf("allocated %d bytes, want at most %d", alloc, c.maxAlloc)
			}
		})
	}
	// The largest buffer: decode into a stream directly to see it.
	var s stream
	raw := bomb[10 : len(bomb)-8]
	s.init(nil, raw, 10, limit)
	var d Decoder
	if err := d.inflate(&s); !errors.Is(err, ErrLimit) {
		t.Fatalf("%v, want ErrLimit", err)
	}
	if len(s.out) > limit+8 || cap(s.out) > limit+8 {
		t.Errorf("output buffer of %d bytes (cap %d), want at most the limit %d + 8", len(s.out), cap(s.out), limit)
	}
}

// TestDistanceBeforeStart checks a match may not reach before the start of its stream:
// into dst's content, or into an earlier gzip member.
func TestDistanceBeforeStart(t *testing.T) {
	fl, fd := fixedLitCode, fixedDistCode
	raw := new(bitWriter).header(true, 1).literals(fl, "ab").match(fl, fd, 3, 3).sym(fl, 256).bytes()
	dst := []byte("xyz")
	out, _, err := AppendInflate(dst, raw, 0)
	checkFailed(t, dst, out, err, ErrCorrupt, "invalid distance 3 beyond output (2 bytes)")

	first := []byte("abcdef")
	m1 := gzipMember(new(bitWriter).stored(true, first).bytes(), first, 0)
	m2 := gzipMember(raw, []byte("ab???"), 0)
	out, err = AppendGunzip(dst, append(m1, m2...), 0)
	checkFailed(t, dst, out, err, ErrCorrupt, "invalid distance 3 beyond output (2 bytes)")
	if _, err := stdGunzip(append(m1, m2...), 0); err == nil {
		t.Errorf("compress/gzip accepts it")
	}
}

func TestErrorMessage(t *testing.T) {
	fl, fd := fixedLitCode, fixedDistCode
	raw := new(bitWriter).header(true, 1).literals(fl, "abc").match(fl, fd, 3, 40).sym(fl, 256).bytes()
	_, err := AppendGunzip(nil, gzipMember(raw, nil, 0), 0)
	const want = "inflate: corrupt input at byte 15: invalid distance 40 beyond output (3 bytes)"
	if err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Offset != 15 || e.Err != ErrCorrupt {
		t.Errorf("error %#v", err)
	}
}

// TestLongHeaderStrings checks file names and comments of any length are accepted,
// where compress/gzip rejects those of 512 bytes or more.
func TestLongHeaderStrings(t *testing.T) {
	for _, n := range []int{511, 512, 100000} {
		var b bytes.Buffer
		w := stdgzip.NewWriter(&b)
		w.Name = strings.Repeat("n", n)
		w.Comment = strings.Repeat("c", n)
		w.Write([]byte("content"))
		w.Close()
		out, err := AppendGunzip(nil, b.Bytes(), 0)
		if err != nil || string(out) != "content" {
			t.Errorf("strings of %d bytes: %q, %v", n, out, err)
		}
		_, stdErr := stdGunzip(b.Bytes(), 0)
		if (stdErr == nil) != (n < 512) {
			t.Errorf("strings of %d bytes: compress/gzip: %v", n, stdErr)
		}
		if hasLongHeaderString(b.Bytes()) != (n >= 512) {
			t.Errorf("strings of %d bytes: hasLongHeaderString wrong", n)
		}
	}
}

// TestZeroDecoder checks the zero Decoder and the package functions work, and that a
// Decoder gives the same results reused.
func TestZeroDecoder(t *testing.T) {
	data := bytes.Repeat([]byte("zero value "), 1000)
	gz := stdGzip(data, flate.BestCompression)
	var d Decoder
	for range 3 {
		if out, err := d.AppendGunzip(nil, gz, 0); err != nil || !bytes.Equal(out, data) {
			t.Fatalf("Decoder: %v", err)
		}
		if out, err := AppendGunzip(nil, gz, 0); err != nil || !bytes.Equal(out, data) {
			t.Fatalf("AppendGunzip: %v", err)
		}
	}
}

func TestBuildTableRejects(t *testing.T) {
	var table litlenTable
	for _, c := range []struct {
		lens []uint8
		ok   bool
	}{
		{nil, true},
		{[]uint8{0, 0, 0}, true},
		{[]uint8{1}, true},
		{[]uint8{0, 1, 0}, true},
		{[]uint8{2}, false},
		{[]uint8{1, 1}, true},
		{[]uint8{1, 1, 1}, false},
		{[]uint8{1, 2}, false},
		{[]uint8{1, 2, 3, 3}, true},
		{[]uint8{1, 2, 3, 3, 15}, false},
		{[]uint8{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15}, true},
		{[]uint8{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, false},
	} {
		templates := litlenTemplates[:len(c.lens)]
		if got := buildTable(table[:], c.lens, countLengths(c.lens), templates, litlenBits); got != c.ok {
			t.Errorf("lengths %v: %v, want %v", c.lens, got, c.ok)
		}
	}
}
