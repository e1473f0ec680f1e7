package queries

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ccwb.dev/contract/schema"
	"ccwb.dev/contract/testenv"
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

// person is a user as the collector records them: subject is the verified token subject
// (user.id is its hash, schema.StableID); the rest comes from the client's headers.
type person struct{ subject, email, org, dept, team, cc, session string }

var (
	alice = person{"00u-alice", "alice@acme.com", "acme", "engineering", "platform", "cc-1", "s-a1"}
	bob   = person{"00u-bob", "bob@acme.com", "acme", "engineering", "data", "cc-2", "s-b1"}
	carol = person{"00u-carol", "carol@Beta.io", "beta", "sales", "sales", "cc-3", "s-c1"}
	dave  = person{"00u-dave", "dave@acme.com", "acme", "engineering", "platform", "cc-1", "s-d1"}
	erin  = person{"00u-erin", "erin@acme.com", "acme", "engineering", "platform", "cc-1", "s-e1"}
	// robert is bob after his email changed: the same subject, so the same user.
	robert = person{"00u-bob", "robert@acme.com", "acme", "engineering", "data", "cc-2", "s-b1"}
	// mallory signs in as herself but her client claims alice's email and session: her
	// usage must stay hers, and alice's must not grow.
	mallory = person{"00u-mallory", "alice@acme.com", "acme", "engineering", "platform", "cc-1", "s-a1"}
)

// ids names the user ids of the fixture, to read the results.
var ids = map[string]string{}

func init() {
	for name, p := range map[string]person{"alice": alice, "bob": bob, "carol": carol, "dave": dave, "erin": erin, "mallory": mallory} {
		ids[schema.StableID(p.subject)] = "id(" + name + ")"
	}
}

func point(who person, at time.Time, metric string, value float64, kv ...string) analyticstest.Point {
	attrs := map[string]string{
		"user.id": schema.StableID(who.subject), "user.email": who.email, "organization": who.org, "department": who.dept,
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

		tok(mallory, at(0, 0, 20, 0), haiku, "input", 2000),

		tok(bob, at(1, 9, 0, 0), haiku, "input", 4000),
		tok(bob, at(1, 9, 0, 0), haiku, "output", 1000),
		tok(robert, at(1, 9, 30, 0), haiku, "input", 2000),
		tok(robert, at(1, 9, 30, 0), mystery, "input", 500),
		point(robert, at(1, 9, 30, 0), "cost.usage", 0.02, "model", haiku),

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

// runDuckDB runs the queries with the Node harness and returns each query's rows.
func runDuckDB(t *testing.T, root, table string, qs []Query) map[string][]map[string]any {
	t.Helper()
	node := testenv.Node(t)
	testenv.NodeModule(t, "@duckdb/node-api")
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
			v := fmt.Sprint(r[c])
			if name, ok := ids[v]; ok {
				v = name
			}
			f = append(f, c+"="+v)
		}
		out = append(out, strings.Join(f, " "))
	}
	return out
}

func TestNamedQueriesOnDuckDB(t *testing.T) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	root := t.TempDir()
	writeTable(t, root, fixture(today))
	// The quota stack's policies: alice's own monthly token limit, and a default USD limit.
	limits := []UserLimit{{UserID: schema.StableID(alice.subject), MonthlyTokens: 100000}, {MonthlyUSD: 0.02}}
	qs, err := All(Params{Table: "claude_code_metrics", Prices: testPrices, Quotas: testQuotas, UserLimits: limits})
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
	// mallory's client claims alice's email and session: her 2000 tokens are hers (under
	// her id, with the lie only as its label), and alice keeps exactly her own 65000.
	// bob's email changed to robert@ between 09:00 and 09:30: still one user, labelled
	// with the latest email.
	check("top_users_by_tokens", []string{"user_id", "user_email", "total_tokens", "input_tokens", "output_tokens", "cache_read_tokens", "sessions"},
		"user_id=id(alice) user_email=alice@acme.com total_tokens=65000 input_tokens=13000 output_tokens=2000 cache_read_tokens=50000 sessions=1",
		"user_id=id(bob) user_email=robert@acme.com total_tokens=7500 input_tokens=6500 output_tokens=1000 cache_read_tokens=0 sessions=1",
		"user_id=id(mallory) user_email=alice@acme.com total_tokens=2000 input_tokens=2000 output_tokens=0 cache_read_tokens=0 sessions=1",
		"user_id=id(carol) user_email=carol@Beta.io total_tokens=1500 input_tokens=1000 output_tokens=500 cache_read_tokens=0 sessions=1")
	// 76000 tokens in all; haiku input has two users, bob and mallory.
	check("usage_by_model_and_token_type", []string{"model", "token_type", "tokens", "percent_of_tokens", "users"},
		"model=mystery-model token_type=input tokens=500 percent_of_tokens=0.66 users=1",
		"model="+haiku+" token_type=input tokens=8000 percent_of_tokens=10.53 users=2",
		"model="+haiku+" token_type=output tokens=1000 percent_of_tokens=1.32 users=1",
		"model="+opus+" token_type=input tokens=1000 percent_of_tokens=1.32 users=1",
		"model="+opus+" token_type=output tokens=500 percent_of_tokens=0.66 users=1",
		"model="+sonnet+" token_type=cacheRead tokens=50000 percent_of_tokens=65.79 users=1",
		"model="+sonnet+" token_type=input tokens=13000 percent_of_tokens=17.11 users=1",
		"model="+sonnet+" token_type=output tokens=2000 percent_of_tokens=2.63 users=1")
	// Hour 0 has two people and two sessions, though both clients said alice and s-a1.
	check("activity_by_hour_of_day", []string{"hour_utc", "tokens", "active_users", "sessions"},
		"hour_utc=0 tokens=67000 active_users=2 sessions=2",
		"hour_utc=9 tokens=7500 active_users=1 sessions=1",
		"hour_utc=14 tokens=1500 active_users=1 sessions=1")
	// Costs: alice 13000×3 + 2000×15 + 50000×0.3 per million = 0.084 (the longest match,
	// claude-sonnet-4-5, wins over claude-sonnet-4); bob 6000×1 + 1000×5 = 0.011 and
	// 500 tokens of an unpriced model; carol 1000×15 + 500×75 = 0.0525; mallory 2000×1 =
	// 0.002, in the group her client claims (group attributes are labels the client sends).
	check("usage_by_organization", []string{"organization", "department", "team", "email_domain", "users", "tokens", "estimated_cost_usd"},
		"organization=acme department=engineering team=platform email_domain=acme.com users=2 tokens=67000 estimated_cost_usd=0.086",
		"organization=acme department=engineering team=data email_domain=acme.com users=1 tokens=7500 estimated_cost_usd=0.011",
		"organization=beta department=sales team=sales email_domain=beta.io users=1 tokens=1500 estimated_cost_usd=0.0525")
	day := func(daysAgo int) string { return today.AddDate(0, 0, -daysAgo).Format("2006-01-02") }
	check("peak_tokens_per_minute", []string{"user_id", "user_email", "model", "peak_tokens_per_minute", "peak_minute", "peak_requests_per_minute"},
		"user_id=id(alice) user_email=alice@acme.com model="+sonnet+" peak_tokens_per_minute=50000 peak_minute="+day(0)+" 00:11:00 peak_requests_per_minute=1",
		"user_id=id(bob) user_email=robert@acme.com model="+haiku+" peak_tokens_per_minute=5000 peak_minute="+day(1)+" 09:00:00 peak_requests_per_minute=1",
		"user_id=id(mallory) user_email=alice@acme.com model="+haiku+" peak_tokens_per_minute=2000 peak_minute="+day(0)+" 00:20:00 peak_requests_per_minute=1",
		"user_id=id(bob) user_email=robert@acme.com model="+mystery+" peak_tokens_per_minute=500 peak_minute="+day(1)+" 09:30:00 peak_requests_per_minute=1")
	// mallory's reuse of s-a1 makes a session of her own; alice's is unchanged.
	check("sessions", []string{"session_id", "user_id", "user_email", "duration_minutes", "tokens", "active_seconds", "tokens_per_active_minute", "lines_changed", "reported_cost_usd"},
		"session_id=s-a1 user_id=id(alice) user_email=alice@acme.com duration_minutes=29.9 tokens=65000 active_seconds=600 tokens_per_active_minute=6500 lines_changed=120 reported_cost_usd=0.25",
		"session_id=s-b1 user_id=id(bob) user_email=robert@acme.com duration_minutes=30 tokens=7500 active_seconds=0 tokens_per_active_minute=<nil> lines_changed=0 reported_cost_usd=0.02",
		"session_id=s-a1 user_id=id(mallory) user_email=alice@acme.com duration_minutes=0 tokens=2000 active_seconds=0 tokens_per_active_minute=<nil> lines_changed=0 reported_cost_usd=0")

	// Three calendar months: dave (40 days ago) is always in, erin (100 days ago) never.
	// Ordered by month descending, then estimated cost descending.
	cost := []string{
		"month=" + month(0) + " user_id=id(alice) user_email=alice@acme.com team=platform tokens=65000 estimated_cost_usd=0.084 reported_cost_usd=0.25 unpriced_tokens=0",
		"month=" + month(0) + " user_id=id(mallory) user_email=alice@acme.com team=platform tokens=2000 estimated_cost_usd=0.002 reported_cost_usd=0 unpriced_tokens=0",
		"month=" + month(10) + " user_id=id(carol) user_email=carol@Beta.io team=sales tokens=1500 estimated_cost_usd=0.0525 reported_cost_usd=0 unpriced_tokens=0",
		"month=" + month(1) + " user_id=id(bob) user_email=robert@acme.com team=data tokens=7500 estimated_cost_usd=0.011 reported_cost_usd=0.02 unpriced_tokens=500",
		"month=" + month(40) + " user_id=id(dave) user_email=dave@acme.com team=platform tokens=99999 estimated_cost_usd=0.3 reported_cost_usd=0 unpriced_tokens=0",
	}
	slices.SortStableFunc(cost, func(a, b string) int {
		if c := strings.Compare(b[:13], a[:13]); c != 0 {
			return c
		}
		return cmp.Compare(field(b, "estimated_cost_usd"), field(a, "estimated_cost_usd"))
	})
	check("cost_attribution", []string{"month", "user_id", "user_email", "team", "tokens", "estimated_cost_usd", "reported_cost_usd", "unpriced_tokens"}, cost...)

	// alice has her own token limit; everyone the default USD 0.02 and, from
	// analytics.quotas, 60,000 tokens. Over a limit first, then by tokens.
	tail := " tokens_per_minute_limit=40000"
	quota := []string{"user_id=id(alice) user_email=alice@acme.com month_tokens=65000 monthly_tokens_limit=100000 percent_of_monthly_limit=65 month_cost_usd=0.084 monthly_usd_limit=0.02 peak_tokens_per_minute=50000" + tail + " peak_requests_per_minute=1 requests_per_minute_limit=<nil> over_quota=true"}
	// This calendar month only: bob (yesterday) and carol (ten days ago) when still in it.
	// Bob's two inputs at 09:30 (two models) are two requests in one minute; carol's Opus
	// tokens cost more than the default's USD 0.02.
	if month(10) == month(0) {
		quota = append(quota, "user_id=id(carol) user_email=carol@Beta.io month_tokens=1500 monthly_tokens_limit=60000 percent_of_monthly_limit=2.5 month_cost_usd=0.0525 monthly_usd_limit=0.02 peak_tokens_per_minute=1500"+tail+" peak_requests_per_minute=1 requests_per_minute_limit=<nil> over_quota=true")
	}
	if month(1) == month(0) {
		quota = append(quota, "user_id=id(bob) user_email=robert@acme.com month_tokens=7500 monthly_tokens_limit=60000 percent_of_monthly_limit=12.5 month_cost_usd=0.011 monthly_usd_limit=0.02 peak_tokens_per_minute=5000"+tail+" peak_requests_per_minute=2 requests_per_minute_limit=<nil> over_quota=false")
	}
	quota = append(quota, "user_id=id(mallory) user_email=alice@acme.com month_tokens=2000 monthly_tokens_limit=60000 percent_of_monthly_limit=3.3 month_cost_usd=0.002 monthly_usd_limit=0.02 peak_tokens_per_minute=2000"+tail+" peak_requests_per_minute=1 requests_per_minute_limit=<nil> over_quota=false")
	check("quota_tracking", []string{"user_id", "user_email", "month_tokens", "monthly_tokens_limit", "percent_of_monthly_limit", "month_cost_usd", "monthly_usd_limit", "peak_tokens_per_minute", "tokens_per_minute_limit", "peak_requests_per_minute", "requests_per_minute_limit", "over_quota"}, quota...)
}
