package sessionname

import (
	"regexp"
	"strings"
	"testing"
)

var stsName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

func TestFrom(t *testing.T) {
	long := strings.Repeat("a", 70) + "@example.com"
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"plain email", []string{"jane.doe@example.com"}, "jane.doe@example.com"},
		{"plus and equals kept", []string{"a+b=c,d@x.io"}, "a+b=c,d@x.io"},
		{"spaces and unicode replaced", []string{"Zoë Smith <zoe@x.io>"}, "Zo--Smith--zoe@x.io-"},
		{"cut to 64", []string{long}, strings.Repeat("a", 64)},
		{"empty email falls back to subject", []string{"", "00u1abc"}, "00u1abc"},
		{"one character padded", []string{"x"}, "ccwb-x"},
		{"nothing usable", []string{"", " "}, "ccwb-user"},
		{"pipe in subject", []string{"", "auth0|123"}, "auth0-123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := From(tt.candidates...)
			if got != tt.want {
				t.Errorf("From(%q) = %q, want %q", tt.candidates, got, tt.want)
			}
			if !stsName.MatchString(got) {
				t.Errorf("From(%q) = %q is not a valid RoleSessionName", tt.candidates, got)
			}
		})
	}
}

func FuzzFrom(f *testing.F) {
	for _, s := range []string{"a@b.c", "", "ü", "|||", strings.Repeat("é", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := From(s); !stsName.MatchString(got) {
			t.Fatalf("From(%q) = %q is not a valid RoleSessionName", s, got)
		}
	})
}
