package monitoring

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"
)

// Metric names of Claude Code (lambda/schema.Metrics) that the dashboard charts.
const (
	tokenUsage    = "claude_code.token.usage"
	costUsage     = "claude_code.cost.usage"
	sessionCount  = "claude_code.session.count"
	linesOfCode   = "claude_code.lines_of_code.count"
	commitCount   = "claude_code.commit.count"
	pullRequests  = "claude_code.pull_request.count"
	editDecisions = "claude_code.code_edit_tool.decision"
)

// Search is one CloudWatch SEARCH over the collector's namespace: metric by the given
// dimension set (which the collector's EMF declarations must produce).
type Search struct {
	Metric     string
	Dimensions []string
	Label      string
}

func (s Search) expression(namespace string) string {
	keys := append([]string{namespace}, s.Dimensions...)
	for i, k := range keys {
		keys[i] = `"` + k + `"`
	}
	return fmt.Sprintf(`SEARCH('{%s} MetricName="%s"', 'Sum', 300)`, strings.Join(keys, ","), s.Metric)
}

// Searches are every metric search of the dashboard, for the tests to check against the
// EMF dimension sets.
var Searches []Search

func search(metric, label string, dims ...string) Search {
	s := Search{Metric: metric, Dimensions: dims, Label: label}
	Searches = append(Searches, s)
	return s
}

var (
	tokensByType       = search(tokenUsage, "tokens by type", "type")
	tokensByModel      = search(tokenUsage, "tokens by model", "model")
	costByModel        = search(costUsage, "cost (USD) by model", "model")
	costByDepartment   = search(costUsage, "cost (USD) by department", "department")
	tokensByDepartment = search(tokenUsage, "tokens by department", "department")
	tokensByTeam       = search(tokenUsage, "tokens by team", "team.id")
	sessionsByOrg      = search(sessionCount, "sessions", "organization")
	sessionsByDept     = search(sessionCount, "sessions by department", "department")
	linesByType        = search(linesOfCode, "lines of code", "type")
	commitsByOrg       = search(commitCount, "commits", "organization")
	pullRequestsByOrg  = search(pullRequests, "pull requests", "organization")
	decisionsByTool    = search(editDecisions, "code-edit decisions", "tool", "decision")
	decisionsByLang    = search(editDecisions, "decisions by language", "language", "decision")
)

// dashboard charts usage from the EMF metrics (SEARCH expressions over the dimension sets),
// people from the metrics log group (Logs Insights), Bedrock's own throttles and errors,
// and the collector service's health.
func (m *Monitoring) dashboard(p MonitoringProps) {
	ns := p.Namespace
	five := awscdk.Duration_Minutes(jsii.Number(5))
	graph := func(title string, stacked bool, searches ...Search) awscloudwatch.IWidget {
		var metrics []awscloudwatch.IMetric
		for _, s := range searches {
			metrics = append(metrics, awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
				Expression: jsii.String(s.expression(ns)), Label: jsii.String(""), Period: five,
				UsingMetrics: &map[string]awscloudwatch.IMetric{},
			}))
		}
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String(title), Left: &metrics, Width: jsii.Number(12), Height: jsii.Number(6), Stacked: jsii.Bool(stacked),
		})
	}
	total := func(title string, s Search) awscloudwatch.IWidget {
		return awscloudwatch.NewSingleValueWidget(&awscloudwatch.SingleValueWidgetProps{
			Title: jsii.String(title), Width: jsii.Number(6), Height: jsii.Number(4), SetPeriodToTimeRange: jsii.Bool(true),
			Metrics: &[]awscloudwatch.IMetric{awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
				Expression: jsii.String("SUM(" + s.expression(ns) + ")"), Label: jsii.String(s.Label), Period: five,
				UsingMetrics: &map[string]awscloudwatch.IMetric{},
			})},
		})
	}
	logs := func(title, query string, view awscloudwatch.LogQueryVisualizationType) awscloudwatch.IWidget {
		return awscloudwatch.NewLogQueryWidget(&awscloudwatch.LogQueryWidgetProps{
			Title: jsii.String(title), LogGroupNames: &[]*string{m.MetricsLogGroup.LogGroupName()},
			QueryString: jsii.String(query), View: view, Width: jsii.Number(12), Height: jsii.Number(6),
		})
	}
	bedrock := func(title string, names ...string) awscloudwatch.IWidget {
		var metrics []awscloudwatch.IMetric
		for _, n := range names {
			metrics = append(metrics, awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
				Expression: jsii.String(fmt.Sprintf(`SEARCH('{AWS/Bedrock,ModelId} MetricName="%s"', 'Sum', 300)`, n)),
				Label:      jsii.String(""), Period: five, UsingMetrics: &map[string]awscloudwatch.IMetric{},
			}))
		}
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String(title), Left: &metrics, Width: jsii.Number(12), Height: jsii.Number(6),
		})
	}
	tg, lb := m.TargetGroup.Metrics(), m.LoadBalancer.Metrics()

	m.Dashboard = awscloudwatch.NewDashboard(m.Construct, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DefaultInterval: awscdk.Duration_Days(jsii.Number(7)),
		Widgets: &[]*[]awscloudwatch.IWidget{
			{
				awscloudwatch.NewTextWidget(&awscloudwatch.TextWidgetProps{
					Markdown: jsii.String("# Claude Code usage\nTokens, cost, people and code from the OpenTelemetry collector (namespace `" + ns + "`); identity comes from the users' verified ID tokens."),
					Width:    jsii.Number(24), Height: jsii.Number(2),
				}),
			},
			{total("Tokens", tokensByType), total("Estimated cost (USD)", costByModel), total("Sessions", sessionsByOrg), total("Pull requests", pullRequestsByOrg)},
			{graph("Tokens over time by type", true, tokensByType), graph("Tokens by model", true, tokensByModel)},
			{graph("Estimated cost (USD) by model", true, costByModel), logs("Active users",
				"fields `user.email`\n| filter ispresent(`user.email`)\n| stats count_distinct(`user.email`) as active_users by bin(1h)", awscloudwatch.LogQueryVisualizationType_LINE)},
			{logs("Top users by tokens",
				"filter ispresent(`"+tokenUsage+"`)\n| stats sum(`"+tokenUsage+"`) as tokens by `user.email`\n| sort tokens desc\n| limit 10", awscloudwatch.LogQueryVisualizationType_TABLE),
				logs("Top users by cost (USD)",
					"filter ispresent(`"+costUsage+"`)\n| stats sum(`"+costUsage+"`) as cost_usd by `user.email`\n| sort cost_usd desc\n| limit 10", awscloudwatch.LogQueryVisualizationType_TABLE)},
			{graph("Sessions", false, sessionsByOrg, sessionsByDept), graph("Lines of code (added, removed)", false, linesByType)},
			{graph("Commits and pull requests", false, commitsByOrg, pullRequestsByOrg), graph("Code-edit decisions by tool", true, decisionsByTool)},
			{graph("Code-edit decisions by language", true, decisionsByLang), graph("Tokens by department", true, tokensByDepartment)},
			{graph("Estimated cost (USD) by department", true, costByDepartment), graph("Tokens by team", true, tokensByTeam)},
			{bedrock("Bedrock throttles", "InvocationThrottles"), bedrock("Bedrock errors", "InvocationClientErrors", "InvocationServerErrors")},
			{
				awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
					Title: jsii.String("Collector tasks"), Width: jsii.Number(12), Height: jsii.Number(6),
					Left:  &[]awscloudwatch.IMetric{tg.HealthyHostCount(nil), tg.UnhealthyHostCount(nil)},
					Right: &[]awscloudwatch.IMetric{m.Service.MetricCpuUtilization(nil), m.Service.MetricMemoryUtilization(nil)},
				}),
				awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
					Title: jsii.String("Ingest requests"), Width: jsii.Number(12), Height: jsii.Number(6),
					Left: &[]awscloudwatch.IMetric{lb.RequestCount(nil)},
					Right: &[]awscloudwatch.IMetric{
						lb.HttpCodeTarget(awselasticloadbalancingv2.HttpCodeTarget_TARGET_4XX_COUNT, nil),
						lb.HttpCodeTarget(awselasticloadbalancingv2.HttpCodeTarget_TARGET_5XX_COUNT, nil),
					},
				}),
			},
		},
	})
}
