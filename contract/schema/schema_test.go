package schema

import (
	"regexp"
	"testing"
)

func TestAttributesAreUnique(t *testing.T) {
	names, headers, cols := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range fixedColumns {
		cols[c.Name] = true
	}
	headerRe := regexp.MustCompile(`^x-[a-z0-9-]+$`)
	for _, a := range Attributes {
		if names[a.Name] || cols[a.Column()] {
			t.Errorf("attribute %q or its column %q is listed twice", a.Name, a.Column())
		}
		names[a.Name], cols[a.Column()] = true, true
		if a.Identity() {
			if headers[a.Header] || !headerRe.MatchString(a.Header) {
				t.Errorf("identity attribute %q has a duplicate or malformed header %q", a.Name, a.Header)
			}
			headers[a.Header] = true
			if len(a.Claims) == 0 {
				t.Errorf("identity attribute %q has no claims", a.Name)
			}
		}
	}
	if got := len(Columns()); got != len(fixedColumns)+NumAttributes {
		t.Errorf("Columns() has %d columns", got)
	}
}

func TestStableID(t *testing.T) {
	a, b := StableID("00u1abcd"), StableID("00u1abce")
	if a == b || a != StableID("00u1abcd") {
		t.Fatalf("StableID not stable or not distinct: %s %s", a, b)
	}
	// The collector's attributes processor (hash action) computes the same value.
	if want := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; StableID("test") != want {
		t.Fatalf("StableID(\"test\") = %s, want the SHA-256 hex %s", StableID("test"), want)
	}
}
