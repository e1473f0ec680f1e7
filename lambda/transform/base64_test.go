package transform

import (
	"bytes"
	"encoding/base64"
	"testing"
)

func TestAppendBase64EncodesLikeStdEncoding(t *testing.T) {
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(i*37 + i>>3)
	}
	for n := range len(src) { // every length, so every tail and padding
		want := base64.StdEncoding.AppendEncode([]byte("x"), src[:n])
		if got := appendBase64([]byte("x"), src[:n]); !bytes.Equal(got, want) {
			t.Fatalf("length %d: %q, want %q", n, got, want)
		}
	}
}

func FuzzAppendBase64(f *testing.F) {
	f.Add([]byte("{\"event_time\":1794146706789}\n"), 3)
	f.Fuzz(func(t *testing.T, src []byte, spare int) {
		dst := make([]byte, 2, 2+max(spare%64, 0)) // with and without room to spare
		want := base64.StdEncoding.AppendEncode(dst, src)
		if got := appendBase64(dst, src); !bytes.Equal(got, want) {
			t.Fatalf("%q, want %q", got, want)
		}
	})
}

func BenchmarkAppendBase64(b *testing.B) {
	src := bytes.Repeat([]byte(`{"event_time":1794146706789,"metric_name":"claude_code.token.usage"}`+"\n"), 1000)
	dst := make([]byte, 0, base64.StdEncoding.EncodedLen(len(src)))
	b.Run("std", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			dst = base64.StdEncoding.AppendEncode(dst[:0], src)
		}
	})
	b.Run("pairs", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			dst = appendBase64(dst[:0], src)
		}
	})
}
