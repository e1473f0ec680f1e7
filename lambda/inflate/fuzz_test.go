package inflate

import (
	"bytes"
	"compress/flate"
	stdgzip "compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// fuzzLimit is the output limit of the fuzz targets.
const fuzzLimit = 1 << 20

// FuzzAppendGunzip checks AppendGunzip against compress/gzip on arbitrary input: the
// same output when both succeed, both failing otherwise (both over the limit alike), dst
// unchanged on error, and the output within the limit. The documented differences are
// asserted as such: compress/gzip ignores reserved flags (they are cleared and the input
// compared again) and rejects file names and comments of 512 bytes or more.
func FuzzAppendGunzip(f *testing.F) {
	for _, c := range gzipCases() {
		f.Add(c.stream)
	}
	for _, c := range deflateCases() {
		if len(c.stream) < 1<<12 {
			f.Add(gzipMember(c.stream, c.want, 0))
		}
	}
	text := []byte(strings.Repeat("fuzz the gzip decoder, fuzz it well; ", 20))
	for _, level := range []int{flate.HuffmanOnly, flate.NoCompression, flate.BestSpeed, flate.DefaultCompression} {
		f.Add(stdGzip(text, level))
		f.Add(klauspostGzip(text, level))
	}
	var d Decoder
	f.Fuzz(func(t *testing.T, src []byte) {
		checkGunzip(t, &d, src, fuzzLimit)
	})
}

func checkGunzip(t *testing.T, d *Decoder, src []byte, limit int) {
	dst := []byte("dst")
	out, err := d.AppendGunzip(dst, src, limit)
	if err != nil {
		if len(out) != len(dst) || !bytes.Equal(out, dst) {
			t.Fatalf("on error %v returned %q, want dst", err, out)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is no *Error", err)
		}
		if errors.Is(err, ErrHeader) && strings.Contains(e.Detail, "reserved flag") {
			fixed := bytes.Clone(src)
			fixed[e.Offset] &^= flagReserved
			checkGunzip(t, d, fixed, limit)
			return
		}
	} else if !bytes.HasPrefix(out, dst) || len(out)-len(dst) > limit {
		t.Fatalf("returned %d bytes not after dst or over the limit", len(out))
	}
	std, stdErr := stdGunzip(src, limit)
	switch {
	case err == nil && stdErr == nil:
		if !bytes.Equal(out[len(dst):], std) {
			t.Fatalf("output differs from compress/gzip's: %d bytes vs %d", len(out)-len(dst), len(std))
		}
	case err == nil:
		if !hasLongHeaderString(src) {
			t.Fatalf("compress/gzip fails (%v), AppendGunzip does not", stdErr)
		}
	case stdErr == nil:
		t.Fatalf("AppendGunzip fails (%v), compress/gzip does not", err)
	case errors.Is(err, ErrLimit) != errors.Is(stdErr, ErrLimit):
		t.Fatalf("AppendGunzip: %v, compress/gzip: %v", err, stdErr)
	}
}

// FuzzAppendInflate checks AppendInflate against compress/flate on arbitrary input: the
// same output and bytes consumed when both succeed, both failing otherwise.
func FuzzAppendInflate(f *testing.F) {
	for _, c := range deflateCases() {
		if len(c.stream) < 1<<12 {
			f.Add(c.stream)
		}
	}
	for _, c := range gzipCases() {
		if len(c.stream) > 18 {
			f.Add(c.stream[10 : len(c.stream)-8])
		}
	}
	var d Decoder
	f.Fuzz(func(t *testing.T, src []byte) {
		dst := []byte("dst")
		out, n, err := d.AppendInflate(dst, src, fuzzLimit)
		if err != nil && (len(out) != len(dst) || !bytes.Equal(out, dst)) {
			t.Fatalf("on error %v returned %q, want dst", err, out)
		}
		r := bytes.NewReader(src)
		std, stdErr := io.ReadAll(io.LimitReader(flate.NewReader(r), fuzzLimit+1))
		if stdErr == nil && len(std) > fuzzLimit {
			stdErr = ErrLimit
		}
		switch {
		case err == nil && stdErr == nil:
			if !bytes.Equal(out[len(dst):], std) || n != len(src)-r.Len() {
				t.Fatalf("differs from compress/flate: %d bytes consumed vs %d, same output %v",
					n, len(src)-r.Len(), bytes.Equal(out[len(dst):], std))
			}
		case err == nil:
			t.Fatalf("compress/flate fails (%v), AppendInflate does not", stdErr)
		case stdErr == nil:
			t.Fatalf("AppendInflate fails (%v), compress/flate does not", err)
		case errors.Is(err, ErrLimit) != errors.Is(stdErr, ErrLimit):
			t.Fatalf("AppendInflate: %v, compress/flate: %v", err, stdErr)
		}
	})
}

// FuzzRoundTrip compresses arbitrary data with compress/gzip and klauspost/compress at
// a level picked by the fuzzer, as two members, and checks AppendGunzip gives the data
// back twice.
func FuzzRoundTrip(f *testing.F) {
	for i, c := range deflateCases() {
		if c.err == nil && len(c.want) < 1<<12 {
			f.Add(c.want, uint8(i*7))
		}
	}
	f.Add([]byte(strings.Repeat("abc", 100)+strings.Repeat("\x00", 300)+"{\"key\": \"value\"}"), uint8(200))
	var d Decoder
	var dst []byte
	var gz bytes.Buffer
	var std [12]*stdgzip.Writer // by level, reused: making one costs more than the rest
	var kp [13]*kgzip.Writer
	f.Fuzz(func(t *testing.T, data []byte, level uint8) {
		stdLevel := int(level%12) - 2  // HuffmanOnly to BestCompression
		kLevel := int(level/12%13) - 3 // StatelessCompression to BestCompression
		gz.Reset()
		w := std[stdLevel+2]
		if w == nil {
			w, _ = stdgzip.NewWriterLevel(&gz, stdLevel)
			std[stdLevel+2] = w
		} else {
			w.Reset(&gz)
		}
		w.Write(data)
		w.Close()
		k := kp[kLevel+3]
		if k == nil {
			k, _ = kgzip.NewWriterLevel(&gz, kLevel)
			kp[kLevel+3] = k
		} else {
			k.Reset(&gz)
		}
		k.Write(data)
		k.Close()
		var err error
		dst, err = d.AppendGunzip(dst[:0], gz.Bytes(), 0)
		if err != nil || len(dst) != 2*len(data) || !bytes.Equal(dst[:len(data)], data) || !bytes.Equal(dst[len(data):], data) {
			t.Fatalf("levels %d and %d: %v", stdLevel, kLevel, err)
		}
	})
}
