package queries

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ccwb.dev/lambda/analyticstest"
	"ccwb.dev/lambda/transform"
)

// The fixture: a few users over the last hundred days, chosen so every query's answer
// can be worked out by hand (see the expectations below).
const (
	sonnet  = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	haiku   = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	opus    = "us.anthropic.claude-opus-4-1-20250805-v1:0"
	mystery = "mystery-model"
)

var testPrices = []Price{
	{Match: "claude-sonnet-4", Input: 100, Output: 100, CacheRead: 100, CacheCreation: 100}, // shorter match: loses to the next
	{Match: "claude-sonnet-4-5", Input: 3, Output: 15, CacheRead: 0.3, CacheCreation: 3.75},
	{Match: "claude-haiku-4-5", Input: 1, Output: 5, CacheRead: 0.1, CacheCreation: 1.25},
	{Match: "claude-opus-4", Input: 15, Output: 75, CacheRead: 1.5, CacheCreation: 18.75},
}

var testQuotas = Quotas{MonthlyTokensPerUser: 60000, TokensPerMinute: 40000}

type person struct{ email, org, dept, team, cc, session string }

var (
	alice = person{"alice@acme.com", "acme", "engineering", "platform", "cc-1", "s-a1"}
	bob   = person{"bob@acme.com", "acme", "engineering", "data", "cc-2", "s-b1"}
	carol = person{"carol@Beta.io", "beta", "sales", "sales", "cc-3", "s-c1"}
	dave  = person{"dave@acme.com", "acme", "engineering", "platform", "cc-1", "s-d1"}
	erin  = person{"erin@acme.com", "acme", "engineering", "platform", "cc-1", "s-e1"}
)

func point(who person, at time.Time, metric string, value float64, kv ...string) analyticstest.Point {
	attrs := map[string]string{
		"user.email": who.email, "organization": who.org, "department": who.dept,
		"team.id": who.team, "cost_center": who.cc, "session.id": who.session, "terminal.type": "vscode",
	}
	for i := 0; i < len(kv); i += 2 {
		attrs[kv[i]] = kv[i+1]
	}
	return analyticstest.Point{Time: at, Metric: "claude_code." + metric, Value: value, Attrs: attrs}
}

func tok(who person, at time.Time, model, typ string, n float64) analyticstest.Point {
	return point(who, at, "token.usage", n, "model", model, "type", typ)
}

func fixture(today time.Time) []analyticstest.Point {
	at := func(daysAgo, h, m, s int) time.Time {
		return today.AddDate(0, 0, -daysAgo).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
	}
	return []analyticstest.Point{
		tok(alice, at(0, 0, 10, 5), sonnet, "input", 10000),
		tok(alice, at(0, 0, 10, 5), sonnet, "output", 2000),
		tok(alice, at(0, 0, 11, 0), sonnet, "cacheRead", 50000),
		tok(alice, at(0, 0, 40, 0), sonnet, "input", 3000),
		point(alice, at(0, 0, 40, 0), "active_time.total", 600, "type", "cli"),
		point(alice, at(0, 0, 40, 0), "cost.usage", 0.25, "model", sonnet),
		point(alice, at(0, 0, 40, 0), "lines_of_code.count", 120, "type", "added"),

		tok(bob, at(1, 9, 0, 0), haiku, "input", 4000),
		tok(bob, at(1, 9, 0, 0), haiku, "output", 1000),
		tok(bob, at(1, 9, 30, 0), haiku, "input", 2000),
		tok(bob, at(1, 9, 30, 0), mystery, "input", 500),
		point(bob, at(1, 9, 30, 0), "cost.usage", 0.02, "model", haiku),

		tok(carol, at(10, 14, 0, 0), opus, "input", 1000),
		tok(carol, at(10, 14, 0, 0), opus, "output", 500),

		tok(dave, at(40, 12, 0, 0), sonnet, "input", 99999),
		tok(erin, at(100, 12, 0, 0), sonnet, "input", 77777),
	}
}

// writeTable runs the points through the transform handler, one record per hour as the
// collector would batch them, and writes each hour's rows as a Parquet object into the
// partition of that hour.
func writeTable(t *testing.T, root string, points []analyticstest.Point) {
	t.Helper()
	byHour := map[time.Time][][]byte{}
	var hours []time.Time
	for _, p := range points {
		h := p.Time.Truncate(time.Hour)
		if _, ok := byHour[h]; !ok {
			hours = append(hours, h)
		}
		byHour[h] = append(byHour[h], analyticstest.EMF(p))
	}
	h := &transform.Handler{}
	for i, hour := range hours {
		resp, err := h.Handle(context.Background(), analyticstest.Event(analyticstest.DataRecord(byHour[hour]...)))
		if err != nil || resp.Records[0].Result != "Ok" {
			t.Fatalf("transform hour %v: %v %+v", hour, err, resp)
		}
		if _, err := analyticstest.WritePartition(root, hour, i, resp.Records[0].Data); err != nil {
			t.Fatal(err)
		}
	}
}

// repoRoot finds the directory holding node_modules (the repository root).
func repoRoot(t *testing.T) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no package.json above the test directory")
		}
		dir = parent
	}
}

// runDuckDB runs the queries with the Node harness and returns each query's rows.
func runDuckDB(t *testing.T, root, table string, qs []Query) map[string][]map[string]any {
	t.Helper()
	repo := repoRoot(t)
	node := filepath.Join(repo, "node_modules", ".bin", "node")
	if _, err := os.Stat(filepath.Join(repo, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Fatalf("@duckdb/node-api is not installed: run `make setup` (npm ci) first")
	}
	if _, err := os.Stat(node); err != nil {
		node = "node"
	}
	type query struct {
		Name string `json:"name"`
		SQL  string `json:"sql"`
	}
	var list []query
	for _, q := range qs {
		list = append(list, query{q.Name, q.SQL})
	}
	in, _ := json.Marshal(map[string]any{"root": root, "table": table, "queries": list})
	cmd := exec.Command(node, "testdata/duckdb.mjs")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("DuckDB harness: %v\n%s", err, stderr.String())
	}
	var res map[string][]map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("DuckDB harness output: %v", err)
	}
	return res
}

// field returns the number after "name=" in a rendered row.
func field(row, name string) float64 {
	_, v, _ := strings.Cut(row, name+"=")
	v, _, _ = strings.Cut(v, " ")
	f, _ := strconv.ParseFloat(v, 64)
	return f
}

// table renders rows as lines of "col=value" in the given columns, for comparison.
func table(rows []map[string]any, cols ...string) []string {
	var out []string
	for _, r := range rows {
		var f []string
		for _, c := range cols {
			f = append(f, fmt.Sprintf("%s=%v", c, r[c]))
		}
		out = append(out, strings.Join(f, " "))
	}
	return out
}

func TestNamedQueriesOnDuckDB(t *testing.T) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	root := t.TempDir()
	writeTable(t, root, fixture(today))
	qs, err := All(Params{Table: "claude_code_metrics", Prices: testPrices, Quotas: testQuotas})
	if err != nil {
		t.Fatal(err)
	}
	res := runDuckDB(t, root, "claude_code_metrics", qs)
	if len(res) != len(qs) {
		t.Fatalf("%d results for %d queries", len(res), len(qs))
	}
	month := func(daysAgo int) string { return today.AddDate(0, 0, -daysAgo).Format("2006-01") }

	check := func(name string, cols []string, want ...string) {
		t.Helper()
		if got := table(res[name], cols...); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
	}
	// dave (40 days ago) and erin (100 days ago) are outside every 30- and 7-day window.
	check("top_users_by_tokens", []string{"user_email", "total_tokens", "input_tokens", "output_tokens", "cache_read_tokens", "sessions"},
		"user_email=alice@acme.com total_tokens=65000 input_tokens=13000 output_tokens=2000 cache_read_tokens=50000 sessions=1",
		"user_email=bob@acme.com total_tokens=7500 input_tokens=6500 output_tokens=1000 cache_read_tokens=0 sessions=1",
		"user_email=carol@Beta.io total_tokens=1500 input_tokens=1000 output_tokens=500 cache_read_tokens=0 sessions=1")
	check("usage_by_model_and_token_type", []string{"model", "token_type", "tokens", "percent_of_tokens", "users"},
		"model=mystery-model token_type=input tokens=500 percent_of_tokens=0.68 users=1",
		"model="+haiku+" token_type=input tokens=6000 percent_of_tokens=8.11 users=1",
		"model="+haiku+" token_type=output tokens=1000 percent_of_tokens=1.35 users=1",
		"model="+opus+" token_type=input tokens=1000 percent_of_tokens=1.35 users=1",
		"model="+opus+" token_type=output tokens=500 percent_of_tokens=0.68 users=1",
		"model="+sonnet+" token_type=cacheRead tokens=50000 percent_of_tokens=67.57 users=1",
		"model="+sonnet+" token_type=input tokens=13000 percent_of_tokens=17.57 users=1",
		"model="+sonnet+" token_type=output tokens=2000 percent_of_tokens=2.7 users=1")
	check("activity_by_hour_of_day", []string{"hour_utc", "tokens", "active_users", "sessions"},
		"hour_utc=0 tokens=65000 active_users=1 sessions=1",
		"hour_utc=9 tokens=7500 active_users=1 sessions=1",
		"hour_utc=14 tokens=1500 active_users=1 sessions=1")
	// Costs: alice 13000×3 + 2000×15 + 50000×0.3 per million = 0.084 (the longest match,
	// claude-sonnet-4-5, wins over claude-sonnet-4); bob 6000×1 + 1000×5 = 0.011 and
	// 500 tokens of an unpriced model; carol 1000×15 + 500×75 = 0.0525.
	check("usage_by_organization", []string{"organization", "department", "team", "email_domain", "users", "tokens", "estimated_cost_usd"},
		"organization=acme department=engineering team=platform email_domain=acme.com users=1 tokens=65000 estimated_cost_usd=0.084",
		"organization=acme department=engineering team=data email_domain=acme.com users=1 tokens=7500 estimated_cost_usd=0.011",
		"organization=beta department=sales team=sales email_domain=beta.io users=1 tokens=1500 estimated_cost_usd=0.0525")
	check("peak_tokens_per_minute", []string{"user_email", "model", "peak_tokens_per_minute", "peak_minute", "peak_requests_per_minute"},
		"user_email=alice@acme.com model="+sonnet+" peak_tokens_per_minute=50000 peak_minute="+today.Format("2006-01-02")+" 00:11:00 peak_requests_per_minute=1",
		"user_email=bob@acme.com model="+haiku+" peak_tokens_per_minute=5000 peak_minute="+today.AddDate(0, 0, -1).Format("2006-01-02")+" 09:00:00 peak_requests_per_minute=1",
		"user_email=bob@acme.com model="+mystery+" peak_tokens_per_minute=500 peak_minute="+today.AddDate(0, 0, -1).Format("2006-01-02")+" 09:30:00 peak_requests_per_minute=1")
	check("sessions", []string{"session_id", "user_email", "duration_minutes", "tokens", "active_seconds", "tokens_per_active_minute", "lines_changed", "reported_cost_usd"},
		"session_id=s-a1 user_email=alice@acme.com duration_minutes=29.9 tokens=65000 active_seconds=600 tokens_per_active_minute=6500 lines_changed=120 reported_cost_usd=0.25",
		"session_id=s-b1 user_email=bob@acme.com duration_minutes=30 tokens=7500 active_seconds=0 tokens_per_active_minute=<nil> lines_changed=0 reported_cost_usd=0.02")

	// Three calendar months: dave (40 days ago) is always in, erin (100 days ago) never.
	// Ordered by month descending, then estimated cost descending.
	cost := []string{
		"month=" + month(0) + " user_email=alice@acme.com team=platform tokens=65000 estimated_cost_usd=0.084 reported_cost_usd=0.25 unpriced_tokens=0",
		"month=" + month(10) + " user_email=carol@Beta.io team=sales tokens=1500 estimated_cost_usd=0.0525 reported_cost_usd=0 unpriced_tokens=0",
		"month=" + month(1) + " user_email=bob@acme.com team=data tokens=7500 estimated_cost_usd=0.011 reported_cost_usd=0.02 unpriced_tokens=500",
		"month=" + month(40) + " user_email=dave@acme.com team=platform tokens=99999 estimated_cost_usd=0.3 reported_cost_usd=0 unpriced_tokens=0",
	}
	slices.SortStableFunc(cost, func(a, b string) int {
		if c := strings.Compare(b[:13], a[:13]); c != 0 {
			return c
		}
		return cmp.Compare(field(b, "estimated_cost_usd"), field(a, "estimated_cost_usd"))
	})
	check("cost_attribution", []string{"month", "user_email", "team", "tokens", "estimated_cost_usd", "reported_cost_usd", "unpriced_tokens"}, cost...)

	quota := []string{"user_email=alice@acme.com month_tokens=65000 monthly_tokens_limit=60000 percent_of_monthly_limit=108.3 peak_tokens_per_minute=50000 tokens_per_minute_limit=40000 peak_requests_per_minute=1 requests_per_minute_limit=<nil> over_quota=true"}
	// This calendar month only: bob (yesterday) and carol (ten days ago) when still in it.
	// Bob's two inputs at 09:30 (two models) are two requests in one minute.
	if month(1) == month(0) {
		quota = append(quota, "user_email=bob@acme.com month_tokens=7500 monthly_tokens_limit=60000 percent_of_monthly_limit=12.5 peak_tokens_per_minute=5000 tokens_per_minute_limit=40000 peak_requests_per_minute=2 requests_per_minute_limit=<nil> over_quota=false")
	}
	if month(10) == month(0) {
		quota = append(quota, "user_email=carol@Beta.io month_tokens=1500 monthly_tokens_limit=60000 percent_of_monthly_limit=2.5 peak_tokens_per_minute=1500 tokens_per_minute_limit=40000 peak_requests_per_minute=1 requests_per_minute_limit=<nil> over_quota=false")
	}
	check("quota_tracking", []string{"user_email", "month_tokens", "monthly_tokens_limit", "percent_of_monthly_limit", "peak_tokens_per_minute", "tokens_per_minute_limit", "peak_requests_per_minute", "requests_per_minute_limit", "over_quota"}, quota...)
}
