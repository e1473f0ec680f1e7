package pricing

import "testing"

func TestLookupLongestMatchWins(t *testing.T) {
	for _, c := range []struct {
		model string
		want  float64 // input price
		ok    bool
	}{
		{"us.anthropic.claude-opus-4-5-20251101-v1:0", 5, true},
		{"us.anthropic.claude-opus-4-1-20250805-v1:0", 15, true},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", 3, true},
		{"global.anthropic.claude-haiku-4-5-20251001-v1:0", 1, true},
		{"amazon.nova-pro-v1:0", 0, false},
	} {
		p, ok := Lookup(Defaults, c.model)
		if ok != c.ok || p.Input != c.want {
			t.Errorf("Lookup(%s) = %v %v, want input %v priced %v", c.model, p, ok, c.want, c.ok)
		}
	}
}

func TestMicroUSD(t *testing.T) {
	p := Price{Match: "x", Input: 3, Output: 15, CacheRead: 0.3, CacheCreation: 3.75}
	// 1,000 input tokens at USD 3 per million = USD 0.003 = 3,000 micro-USD.
	got := p.MicroUSD(Tokens{Input: 1000, Output: 100, CacheRead: 10_000, CacheCreation: 200})
	want := int64(3000 + 1500 + 3000 + 750)
	if got != want {
		t.Errorf("MicroUSD = %d, want %d", got, want)
	}
	if (Tokens{1, 2, 3, 4}).Total() != 10 {
		t.Error("Total does not add the four counts")
	}
}

func TestProblem(t *testing.T) {
	if (Price{Match: "a", Input: 1}).Problem() != "" {
		t.Error("a good price has a problem")
	}
	if (Price{Match: " "}).Problem() == "" || (Price{Match: "a", Output: -1}).Problem() == "" {
		t.Error("an empty match or a negative price passes")
	}
}
