// Package queries holds the named Athena queries of the analytics table as SQL, built from
// the analytics schema (column names) and the deployment's prices and quotas (SQL
// values). It imports no CDK: the construct deploys exactly the text the tests run.
//
// The SQL keeps to what Athena (Trino) and DuckDB share, plus date_format, which the
// DuckDB test harness defines as a macro over strftime.
package queries

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"ccwb.dev/contract/pricing"
	"ccwb.dev/contract/schema"
)

// Price is the USD price per million tokens of the models whose ID contains Match: the
// deployment's one price table (bedrock.prices).
type Price = pricing.Price

// Quotas are the limits the quota query compares usage with; zero means no limit.
type Quotas struct {
	MonthlyTokensPerUser int64
	TokensPerMinute      int64
	RequestsPerMinute    int64
}

// UserLimit is a monthly limit of the quota policies (quota.policies) for the quota query:
// of one verified user (UserID = schema.StableID of their subject, as the collector keys
// rows), or the default (UserID ""). Zero is no limit.
type UserLimit struct {
	UserID                    string
	MonthlyTokens, MonthlyUSD float64
}

// Params are what the queries are built from.
type Params struct {
	// Table is the Glue table the queries read (unqualified: the named queries carry the
	// database).
	Table string
	// Prices price the token usage; empty means pricing.Defaults. When several match a
	// model, the longest Match wins.
	Prices []Price
	Quotas Quotas
	// UserLimits are the quota policies' monthly limits (none without the quota stack).
	UserLimits []UserLimit
}

// Query is one named query.
type Query struct {
	// Name is the Athena named query's name.
	Name string
	// Description says what the query answers.
	Description string
	SQL         string
}

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// All builds every named query.
func All(p Params) ([]Query, error) {
	if !identifier.MatchString(p.Table) {
		return nil, fmt.Errorf("analytics table name %q: use lower-case letters, digits and underscores", p.Table)
	}
	if len(p.Prices) == 0 {
		p.Prices = pricing.Defaults
	}
	for i, pr := range p.Prices {
		if problem := pr.Problem(); problem != "" {
			return nil, fmt.Errorf("price %d (%q): %s", i+1, pr.Match, problem)
		}
	}
	q := p.Quotas
	if q.MonthlyTokensPerUser < 0 || q.TokensPerMinute < 0 || q.RequestsPerMinute < 0 {
		return nil, fmt.Errorf("analytics quotas must be zero (no limit) or more")
	}
	out := make([]Query, 0, len(definitions))
	for _, d := range definitions {
		var buf bytes.Buffer
		if err := d.tmpl.Execute(&buf, p); err != nil {
			return nil, fmt.Errorf("build query %s: %w", d.name, err)
		}
		out = append(out, Query{Name: d.name, Description: d.description, SQL: strings.TrimSpace(buf.String()) + "\n"})
	}
	return out, nil
}

// funcs are the template helpers: column names from the schema, SQL literals, and the
// partition filters that keep scans to the days a query needs.
var funcs = template.FuncMap{
	// col is the column of an attribute ("user.email" → user_email).
	"col": func(attr string) (string, error) {
		i := schema.AttributeIndex(attr)
		if i < 0 {
			return "", fmt.Errorf("no attribute %q in the schema", attr)
		}
		return schema.Attributes[i].Column(), nil
	},
	// metric is a metric name as a SQL string, checked against the schema.
	"metric": func(short string) (string, error) {
		for _, m := range schema.Metrics {
			if m.Name == "claude_code."+short {
				return literal(m.Name), nil
			}
		}
		return "", fmt.Errorf("no metric claude_code.%s in the schema", short)
	},
	"str": literal,
	"num": func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "E0" },
	// limit is a quota as a SQL value: NULL for 0 (no limit).
	"limit": func(v int64) string {
		if v == 0 {
			return "CAST(NULL AS double)"
		}
		return strconv.FormatInt(v, 10) + "E0"
	},
	// flimit is limit of a float.
	"flimit": func(v float64) string {
		if v == 0 {
			return "CAST(NULL AS double)"
		}
		return strconv.FormatFloat(v, 'f', -1, 64) + "E0"
	},
	// userLimits are the quota query's limits: the default row (user_id NULL: the default
	// policy, else analytics.quotas.monthly_tokens_per_user) and a row per user policy.
	"userLimits": func(p Params) []UserLimit {
		def := UserLimit{MonthlyTokens: float64(p.Quotas.MonthlyTokensPerUser)}
		var users []UserLimit
		for _, l := range p.UserLimits {
			if l.UserID == "" {
				def.MonthlyUSD = l.MonthlyUSD
				if l.MonthlyTokens != 0 {
					def.MonthlyTokens = l.MonthlyTokens
				}
			} else {
				users = append(users, l)
			}
		}
		return append([]UserLimit{def}, users...)
	},
	"userID": func(id string) string {
		if id == "" {
			return "CAST(NULL AS varchar)"
		}
		return literal(id)
	},
	// lastDays filters the partitions of the last n days, today included (UTC).
	"lastDays": func(n int) string {
		return fmt.Sprintf("concat(%s, '-', %s, '-', %s) >= date_format(current_date - INTERVAL '%d' DAY, '%%Y-%%m-%%d')",
			schema.PartitionKeys[0], schema.PartitionKeys[1], schema.PartitionKeys[2], n-1)
	},
	// thisMonth filters the partitions of the current calendar month (UTC).
	"thisMonth": func() string {
		return fmt.Sprintf("concat(%s, '-', %s) = date_format(current_date, '%%Y-%%m')", schema.PartitionKeys[0], schema.PartitionKeys[1])
	},
}

// literal quotes s as a SQL string.
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

type definition struct {
	name, description string
	tmpl              *template.Template
}

func define(name, description, sql string) definition {
	return definition{name, description, template.Must(template.New(name).Funcs(funcs).Parse(sql))}
}
