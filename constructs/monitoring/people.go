package monitoring

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/jsii-runtime-go"
)

// UserPattern is the text the dashboard's user variable replaces: the viewer types a
// user.id into the variable's box, and the per-user widgets' queries filter on it.
const UserPattern = "ENTER-USER-ID"

// PeopleQuery is one CloudWatch Logs Insights widget over the metrics log group: people
// are keyed on user.id (the hash of the verified token subject), with the email the
// client sent shown as a label only.
type PeopleQuery struct {
	Title string
	Query string
	View  awscloudwatch.LogQueryVisualizationType
}

// field quotes a field name for Logs Insights: the EMF events hold the attribute and
// metric names as flat keys with dots, which must be backquoted.
func field(name string) string { return "`" + name + "`" }

func lines(parts ...string) string { return strings.Join(parts, "\n| ") }

var (
	userID, email = field("user.id"), field("user.email")
	tokens, cost  = field(tokenUsage), field(costUsage)
	ofUser        = "filter " + userID + ` = "` + UserPattern + `"`
	// emailLabel is one of the emails an id's clients sent (the greatest: max takes any
	// log field), a label; the emails column beside it counts how many they sent.
	emailLabel = "max(" + email + ") as email_label"
)

// PeopleQueries are the dashboard's Logs Insights widgets, row by row.
var PeopleQueries = [][]PeopleQuery{
	{
		{"Active users per hour (verified ids)", lines("filter ispresent("+userID+")",
			"stats count_distinct("+userID+") as active_users by bin(1h)"), awscloudwatch.LogQueryVisualizationType_LINE},
		{"Top users by tokens (user.id; email is the client's label)", lines("filter ispresent("+tokens+") or ispresent("+cost+")",
			"stats sum("+tokens+") as tokens, sum("+cost+") as cost_usd, "+emailLabel+", count_distinct("+email+") as emails by "+userID,
			"sort tokens desc", "limit 20"), awscloudwatch.LogQueryVisualizationType_TABLE},
	},
	{
		{"One user: tokens per day (type a user.id in the variable box)", lines(ofUser+" and ispresent("+tokens+")",
			"stats sum("+tokens+") as tokens by bin(1d)"), awscloudwatch.LogQueryVisualizationType_LINE},
		{"One user: tokens and cost by model", lines(ofUser,
			"stats sum("+tokens+") as tokens, sum("+cost+") as cost_usd, "+emailLabel+" by "+field("model"),
			"sort tokens desc"), awscloudwatch.LogQueryVisualizationType_TABLE},
	},
	{
		{"Tokens, cost and users by department and team (labels the client sent)", lines("filter ispresent("+tokens+") or ispresent("+cost+")",
			"stats sum("+tokens+") as tokens, sum("+cost+") as cost_usd, count_distinct("+userID+") as users by "+field("department")+", "+field("team.id"),
			"sort tokens desc", "limit 50"), awscloudwatch.LogQueryVisualizationType_TABLE},
		{"Code-edit decisions by language", lines("filter ispresent("+field(editDecisions)+")",
			"stats sum("+field(editDecisions)+") as edits by "+field("language")+", "+field("decision"),
			"sort edits desc", "limit 30"), awscloudwatch.LogQueryVisualizationType_TABLE},
	},
}

// peopleWidgets are PeopleQueries as widgets over the metrics log group.
func (m *Monitoring) peopleWidgets() [][]awscloudwatch.IWidget {
	var rows [][]awscloudwatch.IWidget
	for _, row := range PeopleQueries {
		var widgets []awscloudwatch.IWidget
		for _, q := range row {
			widgets = append(widgets, awscloudwatch.NewLogQueryWidget(&awscloudwatch.LogQueryWidgetProps{
				Title: jsii.String(q.Title), LogGroupNames: &[]*string{m.MetricsLogGroup.LogGroupName()},
				QueryString: jsii.String(q.Query), View: q.View, Width: jsii.Number(12), Height: jsii.Number(6),
			}))
		}
		rows = append(rows, widgets)
	}
	return rows
}

// userVariable is the dashboard variable the per-user widgets filter on.
func userVariable() awscloudwatch.IVariable {
	return awscloudwatch.NewDashboardVariable(&awscloudwatch.DashboardVariableOptions{
		Id: jsii.String("userId"), Label: jsii.String("user.id"), Type: awscloudwatch.VariableType_PATTERN,
		InputType: awscloudwatch.VariableInputType_INPUT, Value: jsii.String(UserPattern),
	})
}
