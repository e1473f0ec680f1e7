package jsonscan

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func valid(data []byte) bool {
	var s Scanner
	s.Reset(data)
	return s.Skip() == nil && s.End() == nil
}

func TestSkipAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `""`, `0`, `-0.5e+3`, `true`, `null`, ` {"a":[1,{"b":"\u00e9\n"}],"c":false} `,
		`{`, `[1,]`, `{"a"}`, `01`, `1.`, `-`, `"\x"`, "\"a\x01\"", `"\u12"`, `tru`, `{"a":1}x`, ``, `1e`,
	} {
		if got, want := valid([]byte(in)), json.Valid([]byte(in)); got != want {
			t.Errorf("%q: scanner says valid=%v, encoding/json %v", in, got, want)
		}
	}
}

func TestUnescape(t *testing.T) {
	for _, in := range []string{`plain`, `a\"b\\c\/d\b\f\n\r\t`, `\u00e9\u4e2d\ud83d\ude00`, `\ud83d alone`, `<\u003c>`} {
		var want string
		if err := json.Unmarshal([]byte(`"`+in+`"`), &want); err != nil {
			t.Fatal(err)
		}
		if got := string(Unescape(nil, []byte(in))); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzScanner checks that the scanner accepts exactly the JSON encoding/json accepts (at
// the depths it allows) and that every string it returns unescapes like encoding/json.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{`{"a":"b\"c","d":[1,2.5e3,null,true]}`, `"\ud83d\ude00"`, `[[[[]]]]`, `{"x":-0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, want := valid(data), json.Valid(data)
		if got && !want {
			t.Fatalf("scanner accepted invalid JSON %q", data)
		}
		if !got && want && depth(data) <= MaxDepth {
			t.Fatalf("scanner rejected valid JSON %q", data)
		}
		var s, s2 Scanner
		s.Reset(data)
		s2.Reset(data)
		raw, _, err := s.Str()
		into, err2 := s2.StrInto([]byte("x"))
		if (err == nil) != (err2 == nil) || err == nil && string(into[1:]) != string(Unescape(nil, raw)) {
			t.Fatalf("Str and StrInto disagree on %q: %v / %v", data, err, err2)
		}
		if err == nil && s.End() == nil {
			var str string
			if err := json.Unmarshal(data, &str); err != nil {
				t.Fatalf("string %q accepted, encoding/json: %v", data, err)
			}
			// Invalid UTF-8 passes through (CloudWatch Logs only carries UTF-8);
			// encoding/json replaces it.
			if u := string(Unescape(nil, raw)); u != str && utf8.Valid(raw) {
				t.Fatalf("Unescape gives %q, encoding/json %q", u, str)
			}
		}
	})
}

// depth is the maximum nesting of data, ignoring strings.
func depth(data []byte) int {
	d, max, in := 0, 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && (c == '[' || c == '{'):
			d++
			if d > max {
				max = d
			}
		case !in && (c == ']' || c == '}'):
			d--
		}
	}
	return max
}

// PlainEnd must find the first quote, backslash or control character exactly, wherever it
// falls in the words it reads, whatever plain bytes (ASCII or not) come before or after.
func TestPlainEndFindsTheFirstSpecialByte(t *testing.T) {
	naive := func(d []byte, i int) int {
		for i < len(d) && d[i] != '"' && d[i] != '\\' && d[i] >= 0x20 {
			i++
		}
		return i
	}
	for _, fill := range []byte{'a', 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff} {
		for n := 0; n <= 40; n++ {
			for at := -1; at < n; at++ {
				for _, special := range []byte{'"', '\\', 0x00, 0x1f, 0x01} {
					d := bytes.Repeat([]byte{fill}, n)
					if at >= 0 {
						d[at] = special
						if at+1 < n {
							d[at+1] = '"' // a second special byte after the first
						}
					}
					for start := 0; start <= min(n, 3); start++ {
						if got, want := PlainEnd(d, start), naive(d, start); got != want {
							t.Fatalf("PlainEnd(% x, %d) = %d, want %d", d, start, got, want)
						}
					}
				}
			}
		}
	}
}

func TestDigitsReadsTheLeadingDigits(t *testing.T) {
	for _, c := range []struct {
		in    string
		value int64
		n     int
	}{
		{"", 0, 0}, {"x1", 0, 0}, {"0", 0, 1}, {"1793610000000,", 1793610000000, 13},
		{"007", 7, 3}, {"12.5", 12, 2}, {"999999999999999999", 999999999999999999, 18},
		{"1234567890123456789", 123456789012345678, 18}, // at most MaxDigits: no overflow
	} {
		if v, n := Digits([]byte(c.in)); v != c.value || n != c.n {
			t.Errorf("Digits(%q) = %d, %d; want %d, %d", c.in, v, n, c.value, c.n)
		}
	}
}
