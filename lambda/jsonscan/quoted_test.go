package jsonscan

import (
	"strconv"
	"strings"
	"testing"
)

// Quoted must accept only what a Scanner accepts once the string is unescaped, and read
// the same extent; values it skipped before (remembered) must not change that.
func TestQuotedAgreesWithScanner(t *testing.T) {
	long := `[["` + strings.Repeat(`dimension","`, 8) + `x"]]`
	var q Quoted
	for round := range 2 {
		for _, inner := range []string{
			`{"a":[1,-2.5e3,true,false,null,{"b":"c"}]}`, long, `{"k":` + long + `}`,
			long[:len(long)-1], long + `]`, `[1,]`, `["a\"b"]`, `["é"]`, `{ "a" : [ 1 , 2 ] }`,
			`[01]`, `[1.]`, `[tru]`, "[\"a\x01\"]", `{"a" 1}`, `[` + long + `,` + long + `]`,
		} {
			quoted := strconv.Quote(inner) // the outer string, as an encoder writes it
			var s Scanner
			s.Reset([]byte(inner))
			want := s.Skip() == nil && s.End() == nil
			q.Reset([]byte(quoted[1:]))
			got := q.Skip() && q.End() && q.Pos() == len(quoted)-1
			plain := !strings.ContainsAny(inner, "\\\x01")
			if got && !want || want && plain && !got {
				t.Errorf("round %d, %s: Quoted says %v, Scanner %v", round, quoted, got, want)
			}
		}
	}
}

// FuzzQuoted checks Quoted against the Scanner on the same text held in a JSON string:
// whatever Quoted accepts, the Scanner accepts, ending where the string ends. One Quoted
// reads every input, so values it remembers from earlier inputs are exercised too.
func FuzzQuoted(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,null,true],"b":"c"}`, `[["` + strings.Repeat(`dimension","`, 8) + `x"]]`, `{ "x" : -0 }`} {
		f.Add([]byte(s))
	}
	var q Quoted
	f.Fuzz(func(t *testing.T, data []byte) {
		outer := []byte(strconv.Quote(string(data)))
		q.Reset(outer[1:])
		if !q.Skip() || !q.End() {
			return
		}
		if q.Pos() != len(outer)-1 {
			t.Fatalf("Quoted stopped at %d of %s", q.Pos(), outer)
		}
		if !valid(data) {
			t.Fatalf("Quoted accepted %s, which the Scanner rejects", outer)
		}
	})
}
