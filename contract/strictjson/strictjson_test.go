package strictjson

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

type settings struct {
	Name string `json:"name"`
}

func TestUnmarshal(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     error  // a sentinel, or nil
		wantText string // part of the message otherwise
	}{
		{"one object", `{"name": "a"}`, nil, ""},
		{"white space after it", "{\"name\": \"a\"}\n\t \n", nil, ""},
		{"a typo in a field name", `{"nmae": "a"}`, nil, `unknown field "nmae"`},
		{"a second object", `{"name": "a"} {}`, ErrTrailingData, ""},
		{"a stray closing brace", `{"name": "a"}}`, ErrTrailingData, ""},
		{"a stray closing bracket", `{"name": "a"}]`, ErrTrailingData, ""},
		{"a word after it", `{"name": "a"} x`, ErrTrailingData, ""},
		{"nothing", " \n", ErrEmpty, ""},
		{"cut short", `{"name": "a"`, nil, "unexpected EOF"},
		{"the wrong type", `{"name": 1}`, nil, "cannot unmarshal number"},
	} {
		var s settings
		err := Unmarshal([]byte(c.in), &s)
		switch {
		case c.want != nil:
			if !errors.Is(err, c.want) {
				t.Errorf("%s: error %v, want %v", c.name, err, c.want)
			}
		case c.wantText != "":
			if err == nil || !strings.Contains(err.Error(), c.wantText) {
				t.Errorf("%s: error %v, want one containing %q", c.name, err, c.wantText)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case s.Name != "a":
			t.Errorf("%s: name %q, want a", c.name, s.Name)
		}
	}
}

// A map takes any field: stack outputs and the user's Claude Code settings are maps.
func TestUnmarshalMapTakesAnyField(t *testing.T) {
	var m map[string]string
	if err := Unmarshal([]byte(`{"any": "x"}`), &m); err != nil || m["any"] != "x" {
		t.Fatalf("map: %v, %v", m, err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add(`{"name": "a"}`)
	f.Add(`{"name": "a"}}`)
	f.Fuzz(func(t *testing.T, in string) {
		var s settings
		// What it accepts is one valid JSON document, which json.Unmarshal reads the same.
		if Unmarshal([]byte(in), &s) == nil {
			var loose settings
			if !json.Valid([]byte(in)) || json.Unmarshal([]byte(in), &loose) != nil || loose != s {
				t.Fatalf("accepted %q, which json.Unmarshal reads otherwise (%+v, %+v)", in, s, loose)
			}
		}
	})
}
