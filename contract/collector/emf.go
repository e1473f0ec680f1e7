package collector

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"ccwb.dev/contract/schema"
)

// attr returns the name of the schema attribute called name: the dimension sets below name
// attributes, and this makes a misspelt one fail at start-up (and in the tests).
func attr(name string) string {
	if schema.AttributeIndex(name) < 0 {
		panic(fmt.Sprintf("collector: %q is not an attribute of contract/schema.Attributes", name))
	}
	return name
}

// The EMF dimensions: every one is a schema attribute whose values Claude Code takes from a
// short list (the models a deployment allows, four token types, four edit tools, two
// decisions), so the number of metrics they make does not grow with the number of users.
var (
	dimModel    = attr("model")
	dimType     = attr("type")
	dimTool     = attr("tool")
	dimDecision = attr("decision")
)

// Dimensions maps each Claude Code metric (schema.Metrics) to the dimension sets CloudWatch
// extracts for it in every deployment. An empty set is the metric's total. No set holds a
// per-person attribute (user.email, user.id, user.name, manager, session.id): CloudWatch
// bills every combination of dimension values as a custom metric, so those would cost a
// few dollars a month per user. Every attribute stays in the EMF log event whatever the
// sets: the dashboard's per-user views query it there, and the analytics pipeline reads it.
var Dimensions = map[string][][]string{
	schema.MetricToken:        {{dimModel}, {dimModel, dimType}, {dimType}},
	schema.MetricCost:         {{dimModel}},
	schema.MetricLinesOfCode:  {{dimType}},
	schema.MetricEditDecision: {{dimDecision}, {dimTool, dimDecision}},
	schema.MetricSession:      {{}},
	schema.MetricCommit:       {{}},
	schema.MetricPullRequest:  {{}},
	schema.MetricActiveTime:   {{dimType}},
}

// GroupAttributes are the identity attributes a deployment may chart as metric dimensions:
// each names a group of people. The rest name a person and stay out of metrics.
var GroupAttributes = []string{
	attr("organization"), attr("department"), attr("team.id"), attr("cost_center"), attr("location"), attr("role"),
}

// MaxGroupValues is the most values one GroupDimension may declare: each value adds one
// custom metric per Claude Code metric.
const MaxGroupValues = 100

// maxDimensionValue is the longest dimension value CloudWatch accepts, in bytes.
const maxDimensionValue = 1024

// GroupDimension is a group attribute a deployment charts as a metric dimension, with the
// values it charts. The collector's metric declaration for it matches only those values
// and the attribute's default (awsemf label_matchers), so whatever a client sends in its
// headers, the attribute adds at most (len(Values)+1) × len(schema.Metrics) metrics.
// Data points with other values are still in the log event, just not in this dimension.
type GroupDimension struct {
	Attribute string
	Values    []string
}

// FieldProblem is one problem of a GroupDimension: the field it is in ("attribute",
// "values[2]") and what is wrong, with the fix.
type FieldProblem struct{ Field, Problem string }

// Check reports every problem of d.
func (d GroupDimension) Check() []FieldProblem {
	var out []FieldProblem
	add := func(field, format string, args ...any) {
		out = append(out, FieldProblem{field, fmt.Sprintf(format, args...)})
	}
	if !slices.Contains(GroupAttributes, d.Attribute) {
		add("attribute", "%q cannot be a metric dimension; use one of %s (attributes of one person, such as user.email, belong in the logs, where the dashboard's per-user views read them)",
			d.Attribute, strings.Join(GroupAttributes, ", "))
	}
	if len(d.Values) == 0 || len(d.Values) > MaxGroupValues {
		add("values", "%d values; declare the 1 to %d values to chart (each adds one custom metric per Claude Code metric)", len(d.Values), MaxGroupValues)
	}
	seen := map[string]bool{}
	for i, v := range d.Values {
		field := fmt.Sprintf("values[%d]", i)
		switch {
		case strings.TrimSpace(v) == "" || len(v) > maxDimensionValue || !printableASCII(v):
			add(field, "%q is not a CloudWatch dimension value; give 1 to %d printable ASCII characters, not only spaces", v, maxDimensionValue)
		case seen[v]:
			add(field, "%q is listed twice; remove one", v)
		}
		seen[v] = true
	}
	return out
}

func printableASCII(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}

// values are the values the declaration for d matches: the declared ones and the
// attribute's default (what the otel-helper sends when the token has no such claim).
func (d GroupDimension) values() []string {
	vs := slices.Clone(d.Values)
	if def := schema.Attributes[schema.AttributeIndex(d.Attribute)].Default; def != "" && !slices.Contains(vs, def) {
		vs = append(vs, def)
	}
	return vs
}

func selector(metric string) []string { return []string{"^" + regexp.QuoteMeta(metric) + "$"} }

// emfExporter configures awsemf: one metric declaration per schema metric with the sets
// above, one more per metric and declared group dimension, no automatic rollups (the sets
// are the rollups), resource attributes folded into the labels.
func emfExporter(o Options) map[string]any {
	var declarations []map[string]any
	for _, m := range schema.Metrics {
		declarations = append(declarations, map[string]any{
			"metric_name_selectors": selector(m.Name),
			"dimensions":            Dimensions[m.Name],
		})
	}
	for _, d := range o.Dimensions {
		quoted := make([]string, 0, len(d.Values)+1)
		for _, v := range d.values() {
			quoted = append(quoted, regexp.QuoteMeta(v))
		}
		for _, m := range schema.Metrics {
			declarations = append(declarations, map[string]any{
				"metric_name_selectors": selector(m.Name),
				"label_matchers": []map[string]any{{
					"label_names": []string{d.Attribute}, "regex": "^(?:" + strings.Join(quoted, "|") + ")$",
				}},
				"dimensions": [][]string{{d.Attribute}},
			})
		}
	}
	exp := map[string]any{
		"namespace":                            o.Namespace,
		"log_group_name":                       o.LogGroup,
		"log_stream_name":                      o.LogStream,
		"dimension_rollup_option":              "NoDimensionRollup",
		"resource_to_telemetry_conversion":     map[string]any{"enabled": true},
		"retain_initial_value_of_delta_metric": true,
		"metric_declarations":                  declarations,
	}
	if o.Region != "" {
		exp["region"] = o.Region
	}
	return exp
}
