package cost

import (
	"fmt"

	"ccwb.dev/contract/schema"
)

// Population is a synthetic set of active users. Each sends, over a month, one data point
// of every series Claude Code exports for it (every metric with every combination of the
// attributes it varies), each point carrying every attribute: the identity attributes the
// collector sets, Claude Code's own, and the resource attributes awsemf folds into labels.
type Population struct {
	Users int
	// Liars is every how many users one sends a department of its own invention (0: none).
	Liars int
}

// The population's fixed vocabularies. Each user runs one of the main models and the small
// one; there are 20 departments, a team per 8 users (so teams grow with the population),
// 50 cost centres, 10 locations, 8 roles, 30 languages (3 a user).
var (
	mainModels = []string{
		"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-opus-4-5-20251101-v1:0",
		"us.anthropic.claude-sonnet-4-20250514-v1:0", "us.anthropic.claude-opus-4-1-20250805-v1:0",
		"us.anthropic.claude-3-7-sonnet-20250219-v1:0",
	}
	smallModel = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	tokenTypes = []string{"input", "output", "cacheRead", "cacheCreation"}
	tools      = []string{"Edit", "MultiEdit", "Write", "NotebookEdit"}
	decisions  = []string{"accept", "reject"}
	languages  = []string{
		"TypeScript", "JavaScript", "Python", "Go", "Rust", "Java", "Kotlin", "Swift", "C", "C++",
		"C#", "Ruby", "PHP", "Scala", "Shell", "SQL", "HTML", "CSS", "Markdown", "YAML",
		"JSON", "TOML", "Dockerfile", "Terraform", "Lua", "Perl", "R", "Dart", "Elixir", "Haskell",
	}
	locations = []string{"Berlin", "London", "New York", "San Francisco", "Toronto", "Sydney", "Tokyo", "Paris", "Madrid", "Remote"}
	roles     = []string{"Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineering Manager", "Data Scientist", "SRE", "Designer", "Product Manager"}
)

// Departments are the population's honest departments ("department-00" to "-19").
func Departments() []string {
	out := make([]string, 20)
	for i := range out {
		out[i] = fmt.Sprintf("department-%02d", i)
	}
	return out
}

func uuid(kind, u int) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", u, kind, u%4096, kind, u*7919)
}

func email(u int) string { return fmt.Sprintf("firstname%05d.lastname@example.com", u) }

// labels are user u's attributes common to all its data points.
func (pop Population) labels(u int) map[string]string {
	dept := Departments()[u%20]
	if pop.Liars > 0 && u%pop.Liars == pop.Liars-1 {
		dept = fmt.Sprintf("made-up-%d", u)
	}
	return map[string]string{
		// set by the collector from the verified token and the otel-helper's headers
		"user.id": schema.StableID(fmt.Sprintf("00u%017d", u)), "user.email": email(u),
		"user.name": fmt.Sprintf("Firstname%05d Lastname", u), "organization": "Example Corp", "department": dept,
		"team.id": fmt.Sprintf("team-%04d", u/8), "cost_center": fmt.Sprintf("CC-%04d", u%50),
		"location": locations[u%len(locations)], "role": roles[u%len(roles)], "manager": email(u / 10 * 10),
		// set by Claude Code
		"session.id": uuid(1, u), "organization.id": uuid(2, 0), "user.account_uuid": uuid(3, u),
		"app.version": "2.0.14", "terminal.type": []string{"vscode", "iTerm.app", "tmux", "cursor"}[u%4],
		"OTelLib": "com.anthropic.claude_code",
		// resource attributes (resource_to_telemetry_conversion)
		"service.name": "claude-code", "service.version": "2.0.14", "os.type": []string{"darwin", "linux", "windows"}[u%3],
		"os.version": "24.6.0", "host.arch": "arm64", "ccwb.profile": "ClaudeCode",
	}
}

// series are the attribute combinations Claude Code varies per metric for user u.
func series(u int) map[string][]map[string]string {
	models := []string{mainModels[u%len(mainModels)], smallModel}
	var tok, cost, dec []map[string]string
	for _, m := range models {
		cost = append(cost, map[string]string{"model": m})
		for _, t := range tokenTypes {
			tok = append(tok, map[string]string{"model": m, "type": t})
		}
	}
	for _, tool := range tools {
		for _, d := range decisions {
			for k := range 3 {
				dec = append(dec, map[string]string{"tool": tool, "decision": d, "language": languages[(u+7*k)%len(languages)]})
			}
		}
	}
	one := []map[string]string{{}}
	return map[string][]map[string]string{
		schema.MetricToken:        tok,
		schema.MetricCost:         cost,
		schema.MetricLinesOfCode:  {{"type": "added"}, {"type": "removed"}},
		schema.MetricEditDecision: dec,
		schema.MetricSession:      one,
		schema.MetricCommit:       one,
		schema.MetricPullRequest:  one,
		schema.MetricActiveTime:   {{"type": "user"}, {"type": "cli"}},
	}
}

// Points yields every user's points, user by user, metrics in schema order. A point's
// labels are valid until the next point: copy them to keep them.
func (pop Population) Points(yield func(Point) bool) {
	for u := range pop.Users {
		labels := pop.labels(u)
		perMetric := series(u)
		for _, m := range schema.Metrics {
			for _, s := range perMetric[m.Name] {
				for k, v := range s {
					labels[k] = v
				}
				ok := yield(Point{Metric: m.Name, Labels: labels, User: u})
				for k := range s {
					delete(labels, k)
				}
				if !ok {
					return
				}
			}
		}
	}
}

// Count is the census of the custom metrics exp makes for the population.
func (pop Population) Count(exp *Exporter) Census {
	var c Census
	for p := range pop.Points {
		c.Add(exp, p)
	}
	return c
}
