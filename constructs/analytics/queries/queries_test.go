package queries

import (
	"os"
	"strings"
	"testing"

	"ccwb.dev/contract/schema"
)

func TestParamsBecomeSQLValues(t *testing.T) {
	qs, err := All(Params{Table: "t", Prices: []Price{{Match: "o'brien", Input: 1.25, Output: 2}},
		Quotas: Quotas{MonthlyTokensPerUser: 123456, TokensPerMinute: 789}, UserLimits: []UserLimit{{UserID: "abc", MonthlyUSD: 25.5}}})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, q := range qs {
		byName[q.Name] = q.SQL
	}
	for _, want := range []string{"('o''brien', 1.25E0, 2E0, 0E0, 0E0)"} {
		if !strings.Contains(byName["cost_attribution"], want) {
			t.Errorf("cost_attribution lacks %s", want)
		}
	}
	for _, want := range []string{"(CAST(NULL AS varchar), 123456E0, CAST(NULL AS double))", "('abc', CAST(NULL AS double), 25.5E0)", "789E0 AS tokens_per_minute_limit", "CAST(NULL AS double) AS requests_per_minute_limit"} {
		if !strings.Contains(byName["quota_tracking"], want) {
			t.Errorf("quota_tracking lacks %s", want)
		}
	}
}

func TestEveryQueryFiltersPartitions(t *testing.T) {
	qs, err := All(Params{Table: "claude_code_metrics"})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 8 { // top users, model/type, hour, organization, peaks, sessions, cost, quota
		t.Fatalf("%d queries, want at least the 8 the issue names", len(qs))
	}
	for _, q := range qs {
		// Every scan of the table is restricted on the partition columns.
		from := strings.Count(q.SQL, "FROM claude_code_metrics")
		filtered := strings.Count(q.SQL, "FROM claude_code_metrics WHERE concat("+schema.PartitionKeys[0]+", '-', "+schema.PartitionKeys[1]) +
			strings.Count(q.SQL, "FROM claude_code_metrics\n  WHERE concat("+schema.PartitionKeys[0]+", '-', "+schema.PartitionKeys[1])
		if from == 0 || from != filtered {
			t.Errorf("%s: %d scans of the table, %d filtered on partitions", q.Name, from, filtered)
		}
		if q.Description == "" || strings.Contains(q.SQL, "<no value>") {
			t.Errorf("%s: no description or an unfilled template value", q.Name)
		}
	}
}

func TestBadParams(t *testing.T) {
	for name, p := range map[string]Params{
		"table":          {Table: "drop table x"},
		"empty match":    {Table: "t", Prices: []Price{{Match: " "}}},
		"negative price": {Table: "t", Prices: []Price{{Match: "x", Output: -1}}},
		"negative quota": {Table: "t", Quotas: Quotas{TokensPerMinute: -5}},
	} {
		if _, err := All(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestEveryQueryIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/analyst/queries.md")
	if err != nil {
		t.Fatal(err)
	}
	qs, _ := All(Params{Table: "t"})
	for _, q := range qs {
		if !strings.Contains(string(doc), "\n## "+q.Name+"\n") {
			t.Errorf("docs/analyst/queries.md has no section for %s", q.Name)
		}
	}
	readme, err := os.ReadFile("../../../docs/analyst/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range schema.Columns() {
		if !strings.Contains(string(readme), "| `"+c.Name+"` |") {
			t.Errorf("docs/analyst/README.md does not describe column %s", c.Name)
		}
	}
}
