package inflate

import (
	"bytes"
	"compress/flate"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// testData are the contents of the differential tests by name: random bytes (stored
// blocks, no matches), highly repetitive data (long matches at short distances), text
// with short and long matches, and the realistic CloudWatch Logs records, in sizes from 0
// to several MB.
var testData = sync.OnceValue(func() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4<<20)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	skewed := make([]byte, 1<<18) // few symbols, skewed: long Huffman codes
	for i := range skewed {
		skewed[i] = byte(trailingOnes(rng.Uint32()))
	}
	var text strings.Builder
	words := strings.Fields("the quick brown fox jumps over the lazy dog lorem ipsum dolor sit amet { } [ ] : , \"key\" \"value\" 0 1 2 3 4 5 6 7 8 9 \n")
	for text.Len() < 3<<20 {
		text.WriteString(words[rng.IntN(len(words))])
		text.WriteByte(" \n,:"[rng.IntN(4)])
	}
	recs, err := batchRecords()
	if err != nil {
		panic(err)
	}
	var logs []byte
	for _, r := range recs[:40] {
		out, err := AppendGunzip(nil, r, 0)
		if err != nil {
			panic(err)
		}
		logs = append(logs, out...)
	}
	data := map[string][]byte{
		"zeros":      make([]byte, 5<<20),
		"pattern":    bytes.Repeat([]byte("abcabcabd"), 200000),
		"pairs":      bytes.Repeat([]byte("xy"), 300000),
		"skewed":     skewed,
		"text":       []byte(text.String()),
		"logs":       logs,
		"random 4MB": random,
	}
	for _, n := range []int{0, 1, 2, 3, 4, 7, 8, 9, 100, 257, 258, 259, 1000, 32767, 32768, 32769, 65535, 65536, 100000} {
		data[fmt.Sprintf("random %d", n)] = random[:n]
		data[fmt.Sprintf("text %d", n)] = []byte(text.String()[:n])
	}
	return data
})

// trailingOnes counts the low one bits of x: of random bits, 0 half the time, 1 a
// quarter, ...: a byte distribution whose codes are as long as DEFLATE allows.
func trailingOnes(x uint32) int {
	n := 0
	for x&1 != 0 {
		n++
		x >>= 1
	}
	return n
}

// compressors are the gzip writers of the differential tests by name, at every level.
var compressors = func() map[string]func([]byte) []byte {
	cs := map[string]func([]byte) []byte{}
	for level := flate.HuffmanOnly; level <= flate.BestCompression; level++ {
		cs[fmt.Sprint("compress/gzip ", level)] = func(b []byte) []byte { return stdGzip(b, level) }
	}
	for level := kgzip.StatelessCompression; level <= kgzip.BestCompression; level++ {
		cs[fmt.Sprint("klauspost ", level)] = func(b []byte) []byte { return klauspostGzip(b, level) }
	}
	return cs
}()

// bigDataCompressors are the compressors that also compress the multi-MB data sets.
var bigDataCompressors = map[string]bool{
	"compress/gzip -2": true, "compress/gzip 1": true, "compress/gzip 6": true, "compress/gzip 9": true,
	"klauspost -3": true, "klauspost 1": true, "klauspost 5": true, // 9: seconds a set
}

// TestDifferential decodes every test data set compressed by every compressor and
// checks the output is the data, which compress/gzip gives too (checked for a sample).
func TestDifferential(t *testing.T) {
	var d Decoder
	var dst []byte
	for name, data := range testData() {
		for cname, compress := range compressors {
			// Multi-MB data through every level takes half a minute: through the
			// extremes and the default of each library (every level still sees the rest).
			if len(data) >= 1<<20 && !bigDataCompressors[cname] || testing.Short() && len(data) > 1<<17 {
				continue
			}
			gz := compress(data)
			var err error
			dst, err = d.AppendGunzip(dst[:0], gz, 0)
			if err != nil || !bytes.Equal(dst, data) {
				t.Errorf("%s by %s (%d bytes): %v, output equal: %v", name, cname, len(gz), err, bytes.Equal(dst, data))
				continue
			}
			if len(data) < 1<<20 || strings.HasSuffix(cname, " 6") {
				std, err := stdGunzip(gz, 0)
				if err != nil || !bytes.Equal(std, data) {
					t.Errorf("%s by %s: compress/gzip: %v", name, cname, err)
				}
			}
		}
	}
}

// TestMultiMember decodes members of every compressor concatenated, into a dst with
// content and without.
func TestMultiMember(t *testing.T) {
	data := testData()
	var gz, want []byte
	i := 0
	for cname, compress := range compressors {
		part := data["text"][i*1000 : i*1000+i*i*37]
		if i%5 == 0 {
			part = data["random 100000"][:i*100]
		}
		gz = append(gz, compress(part)...)
		want = append(want, part...)
		i++
		out, err := AppendGunzip([]byte("dst"), gz, 0)
		if err != nil || string(out[:3]) != "dst" || !bytes.Equal(out[3:], want) {
			t.Fatalf("%d members, the last by %s: %v", i, cname, err)
		}
		std, err := stdGunzip(gz, 0)
		if err != nil || !bytes.Equal(std, want) {
			t.Fatalf("%d members: compress/gzip: %v", i, err)
		}
	}
}

// TestRealisticBatch decodes the benchmark's batch, as klauspost/compress does.
func TestRealisticBatch(t *testing.T) {
	recs, err := batchRecords()
	if err != nil {
		t.Fatal(err)
	}
	var d Decoder
	var dst []byte
	for i, r := range recs {
		if dst, err = d.AppendGunzip(dst[:0], r, 16<<20); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		std, err := stdGunzip(r, 0)
		if err != nil || !bytes.Equal(dst, std) {
			t.Fatalf("record %d: compress/gzip: %v, equal %v", i, err, bytes.Equal(dst, std))
		}
	}
}
