package emf

import (
	"testing"

	"ccwb.dev/lambda/schema"
)

func TestParseAttributesAndMetrics(t *testing.T) {
	ev := `{"_aws":{"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["user.email"]],"Metrics":[{"Name":"claude_code.commit.count"}]}],"Timestamp":1700000000123},` +
		`"user.email":"a\u0040b.c","app.version":2,"terminal.type":true,"model":null,"language":{"nested":1},` +
		`"us\u0065r.name":"Zoë","claude_code.commit.count":3,"claude_code.pull_request.count":[1,2],"other.metric":9}`
	var p Parser
	var rows []schema.Row
	if err := p.Parse([]byte(ev), 42, func(pt *Point) error { rows = append(rows, pt.Row()); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3 (one commit value, two pull request values)", len(rows))
	}
	attr := func(name string) string { return rows[0].Attrs[schema.AttributeIndex(name)] }
	for name, want := range map[string]string{
		"user.email": "a@b.c", "app.version": "2", "terminal.type": "true", "model": "", "language": "", "user.name": "Zoë",
	} {
		if got := attr(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if rows[0].Time.UnixMilli() != 1700000000123 || rows[0].Metric != "claude_code.commit.count" || rows[0].Value != 3 || rows[0].Unit != "count" {
		t.Errorf("first row %+v", rows[0])
	}
	if rows[1].Value != 1 || rows[2].Value != 2 || rows[2].Metric != "claude_code.pull_request.count" {
		t.Errorf("array values: %+v %+v", rows[1], rows[2])
	}
}

func TestParseRejects(t *testing.T) {
	for name, ev := range map[string]string{
		"not an object":   `[1]`,
		"trailing data":   `{"claude_code.commit.count":1} x`,
		"bad timestamp":   `{"_aws":{"Timestamp":"soon"},"claude_code.commit.count":1}`,
		"string value":    `{"claude_code.commit.count":"1"}`,
		"truncated":       `{"claude_code.commit.count":1`,
		"too many values": `{"claude_code.commit.count":[` + repeat("1,", maxValues) + `1]}`,
	} {
		var p Parser
		if err := p.Parse([]byte(ev), 0, func(*Point) error { return nil }); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func repeat(s string, n int) string {
	out := make([]byte, 0, len(s)*n)
	for range n {
		out = append(out, s...)
	}
	return string(out)
}

func TestKeyTableFindsEveryKeyAndNothingElse(t *testing.T) {
	for name, want := range keyNames {
		if got, _ := keys.find([]byte(name)); got != want {
			t.Errorf("find(%q) = %v, want %v", name, got, want)
		}
		for _, other := range []string{name + "x", "x" + name, name[:len(name)-1], ""} {
			if _, known := keyNames[other]; !known && lookup([]byte(other), false) != (keyInfo{}) {
				t.Errorf("find(%q) matched a key", other)
			}
		}
	}
}
