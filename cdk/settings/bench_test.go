package settings

import (
	"encoding/json"
	"os"
	"testing"
)

// The cost of loading settings, against the plain JSON decode it is built on: the
// baseline is BenchmarkDecodeBaseline, the ratio is what defaults and validation add.

func example(b *testing.B) []byte {
	data, err := os.ReadFile("../../settings/example.json")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkDecodeBaseline(b *testing.B) {
	data := example(b)
	for b.Loop() {
		var d Deployment
		if err := json.Unmarshal(data, &d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data := example(b)
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	d, err := Parse(example(b))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := d.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
