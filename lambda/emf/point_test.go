package emf

import (
	"strconv"
	"testing"

	"ccwb.dev/contract/schema"
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

// Every metric and attribute of the schema is read from an event that carries them all,
// and keys that merely resemble them are not.
func TestParseReadsEveryMetricAndAttribute(t *testing.T) {
	ev := `{"_aws":{"Timestamp":1}`
	for _, a := range schema.Attributes {
		ev += `,"` + a.Name + `":"` + a.Name + `-value","` + a.Name + `x":"other"`
	}
	for i, m := range schema.Metrics {
		ev += `,"` + m.Name + `":` + strconv.Itoa(i) + `,"x` + m.Name + `":99`
	}
	var p Parser
	var rows []schema.Row
	if err := p.Parse([]byte(ev+"}"), 0, func(pt *Point) error { rows = append(rows, pt.Row()); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(schema.Metrics) {
		t.Fatalf("%d rows, want one per metric (%d)", len(rows), len(schema.Metrics))
	}
	for i, r := range rows {
		if r.Metric != schema.Metrics[i].Name || r.Value != float64(i) || r.Unit != schema.Metrics[i].Unit {
			t.Errorf("row %d: %s = %v %s, want %s = %d %s", i, r.Metric, r.Value, r.Unit, schema.Metrics[i].Name, i, schema.Metrics[i].Unit)
		}
		for j, a := range schema.Attributes {
			if r.Attrs[j] != a.Name+"-value" {
				t.Errorf("row %d: %s = %q", i, a.Name, r.Attrs[j])
			}
		}
	}
}
