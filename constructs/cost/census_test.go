package cost

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"ccwb.dev/contract/collector"
	"ccwb.dev/contract/testenv"
)

// config generates the collector configuration the monitoring construct deploys, with the
// declared group dimensions.
func config(t testing.TB, dims ...collector.GroupDimension) *Exporter {
	t.Helper()
	raw, err := collector.YAML(collector.Options{
		Issuer: "https://idp.example.com", Audience: "client", LogGroup: "metrics", Namespace: "ClaudeCode/ccwb", Dimensions: dims,
	})
	if err != nil {
		t.Fatal(err)
	}
	exp, err := ReadExporter(raw)
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

func before(t testing.TB) *Exporter {
	t.Helper()
	raw, err := os.ReadFile("testdata/emf-before.yaml")
	if err != nil {
		t.Fatal(err)
	}
	exp, err := ReadExporter(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

// The budgets the collector's metrics stay under at any number of users. The default
// configuration charts six models (34 token, 6 cost, 10 decision, 2 lines, 2 active-time
// metrics, 3 totals: 57); each declared group dimension adds at most
// (values + 1) × len(schema.Metrics), its values and its default.
const (
	budgetDefault  = 100
	budgetDeclared = budgetDefault + (20+1)*8 + (50+1)*8 // department: 20 values, team.id: 50
)

// TestCustomMetricsDoNotGrowWithUsers: the custom metrics of the generated collector
// config, for synthetic Populations whose every point carries every attribute, stay under
// one budget from 100 to 10,000 users, and stop growing once the values they chart are
// all in use, also when the deployment declares department
// and team dimensions, when teams grow with the population (a team per 8 users, more
// than the 50 declared) and when one user in ten sends a department of its own.
func TestCustomMetricsDoNotGrowWithUsers(t *testing.T) {
	testenv.Slow(t, "counts 10,000 users")
	teams := make([]string, 50)
	for i := range teams {
		teams[i] = fmt.Sprintf("team-%04d", i)
	}
	cases := []struct {
		name   string
		exp    *Exporter
		budget int
	}{
		{"default", config(t), budgetDefault},
		{"department and team declared", config(t,
			collector.GroupDimension{Attribute: "department", Values: Departments()},
			collector.GroupDimension{Attribute: "team.id", Values: teams}), budgetDeclared},
	}
	for _, tc := range cases {
		var counts []int
		for _, n := range Populations {
			c := Population{Users: n, Liars: 10}.Count(tc.exp)
			counts = append(counts, c.Total())
			if c.Total() > tc.budget || c.PerUser != 0 {
				t.Errorf("%s, %d users: %d custom metrics (%d fed by one user alone), budget %d", tc.name, n, c.Total(), c.PerUser, tc.budget)
			}
		}
		// Once every declared value is in use (a thousand users here), more users add none.
		if counts[1] != counts[2] {
			t.Errorf("%s: %v custom metrics for %v users: the count grows with the users", tc.name, counts, Populations)
		}
		t.Logf("%s: %v custom metrics for %v users (budget %d)", tc.name, counts, Populations, tc.budget)
	}
	// The same census of the dimension sets before this change: a per-user dimension in
	// most sets, so the budget is exceeded at once and the count grows with the users.
	old := before(t)
	c100, c1000 := Population{Users: 100}.Count(old), Population{Users: 1000}.Count(old)
	if c100.Total() <= budgetDefault || c1000.PerUser < 9*c100.PerUser {
		t.Errorf("old dimension sets: %d metrics at 100 users (%d per user alone), %d at 1,000 (%d): want over %d, the per-user ones growing with the users",
			c100.Total(), c100.PerUser, c1000.Total(), c1000.PerUser, budgetDefault)
	}
	t.Logf("old dimension sets: %d custom metrics at 100 users (%d per user alone), %d at 1,000", c100.Total(), c100.PerUser, c1000.Total())
}

// The events the model sizes are EMF documents as the specification defines them: every
// dimension of a set is a root member with a string value, every metric a root member
// with a number, and a point no declaration takes carries no _aws at all.
func TestEventsAreEMF(t *testing.T) {
	for _, exp := range []*Exporter{config(t), before(t)} {
		n := 0
		for p := range (Population{Users: 3}).Points {
			var doc map[string]any
			if err := json.Unmarshal(exp.Event(p, 1, "Count", 1), &doc); err != nil {
				t.Fatal(err)
			}
			aws, ok := doc["_aws"].(map[string]any)
			if !ok {
				t.Fatalf("%s: no _aws, though every Claude Code metric has a declaration", p.Metric)
			}
			for _, d := range aws["CloudWatchMetrics"].([]any) {
				d := d.(map[string]any)
				for _, set := range d["Dimensions"].([]any) {
					if len(set.([]any)) > 30 {
						t.Errorf("%s: a set of %d dimensions", p.Metric, len(set.([]any)))
					}
					for _, dim := range set.([]any) {
						if _, ok := doc[dim.(string)].(string); !ok {
							t.Errorf("%s: dimension %v is not a string member of the root", p.Metric, dim)
						}
					}
				}
				for _, m := range d["Metrics"].([]any) {
					if _, ok := doc[m.(map[string]any)["Name"].(string)].(float64); !ok {
						t.Errorf("%s: metric %v is not a number member of the root", p.Metric, m)
					}
				}
			}
			n++
		}
		if n == 0 {
			t.Fatal("no points")
		}
	}
	undeclared := Point{Metric: "claude_code.unknown", Labels: map[string]string{"model": "m"}}
	if e := string(config(t).Event(undeclared, 1, "Count", 1)); strings.Contains(e, "_aws") {
		t.Errorf("a point no declaration takes has EMF metadata: %s", e)
	}
}
