package collector

import (
	"fmt"
	"regexp"

	"ccwb.dev/lambda/schema"
)

// attr returns the name of the schema attribute called name: the dimension sets below name
// attributes, and this makes a misspelt one fail at start-up (and in the tests).
func attr(name string) string {
	if schema.AttributeIndex(name) < 0 {
		panic(fmt.Sprintf("collector: %q is not an attribute of lambda/schema.Attributes", name))
	}
	return name
}

// The EMF dimensions: every one is a schema attribute.
var (
	dimModel        = attr("model")
	dimType         = attr("type")
	dimUser         = attr("user.email")
	dimTeam         = attr("team.id")
	dimDepartment   = attr("department")
	dimCostCenter   = attr("cost_center")
	dimOrganization = attr("organization")
	dimTool         = attr("tool")
	dimDecision     = attr("decision")
	dimLanguage     = attr("language")
)

// byPeople are the dimension sets that answer "who": per user, team, department, cost
// centre and organization, and department by team.
var byPeople = [][]string{
	{dimUser}, {dimTeam}, {dimDepartment}, {dimCostCenter}, {dimOrganization}, {dimDepartment, dimTeam},
}

func with(sets [][]string, extra ...[]string) [][]string {
	return append(append([][]string(nil), sets...), extra...)
}

// Dimensions maps each Claude Code metric (schema.Metrics) to the dimension sets CloudWatch
// extracts for it. Every attribute stays in the EMF log event whatever the sets: the
// analytics pipeline reads all of them from there.
var Dimensions = map[string][][]string{
	"claude_code.token.usage": with(byPeople,
		[]string{dimModel}, []string{dimModel, dimType}, []string{dimType},
		[]string{dimUser, dimModel}, []string{dimDepartment, dimModel}, []string{dimTeam, dimModel}),
	"claude_code.cost.usage": with(byPeople,
		[]string{dimModel}, []string{dimUser, dimModel}, []string{dimDepartment, dimModel}),
	"claude_code.lines_of_code.count": with(byPeople,
		[]string{dimType}, []string{dimUser, dimType}, []string{dimDepartment, dimType}, []string{dimTeam, dimType}),
	"claude_code.code_edit_tool.decision": with(byPeople,
		[]string{dimDecision}, []string{dimTool, dimDecision}, []string{dimTool, dimDecision, dimLanguage},
		[]string{dimLanguage, dimDecision}, []string{dimDepartment, dimDecision}, []string{dimTeam, dimDecision}),
	"claude_code.session.count":      byPeople,
	"claude_code.commit.count":       byPeople,
	"claude_code.pull_request.count": byPeople,
	"claude_code.active_time.total":  with(byPeople, []string{dimType}, []string{dimUser, dimType}),
}

// emfExporter configures awsemf: one metric declaration per schema metric, no automatic
// rollups (the sets above are the rollups), resource attributes folded into the labels.
func emfExporter(o Options) map[string]any {
	var declarations []map[string]any
	for _, m := range schema.Metrics {
		declarations = append(declarations, map[string]any{
			"metric_name_selectors": []string{"^" + regexp.QuoteMeta(m.Name) + "$"},
			"dimensions":            Dimensions[m.Name],
		})
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
