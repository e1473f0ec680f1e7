package monitoring

import (
	"fmt"
	"strings"

	"ccwb.dev/contract/schema"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"
)

// Metric names of Claude Code (contract/schema) that the dashboard charts.
const (
	tokenUsage    = schema.MetricToken
	costUsage     = schema.MetricCost
	sessionCount  = schema.MetricSession
	linesOfCode   = schema.MetricLinesOfCode
	commitCount   = schema.MetricCommit
	pullRequests  = schema.MetricPullRequest
	editDecisions = schema.MetricEditDecision
)

// Search is one metric of the collector's namespace by the given dimension set (which the
// collector's EMF declarations must produce): a CloudWatch SEARCH over the set's values, or
// the metric itself when the set is empty (its total).
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

// metric is what a widget plots for s.
func (s Search) metric(namespace string) awscloudwatch.IMetric {
	five := awscdk.Duration_Minutes(jsii.Number(5))
	if len(s.Dimensions) == 0 {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String(namespace), MetricName: jsii.String(s.Metric), Statistic: jsii.String("Sum"),
			Period: five, Label: jsii.String(s.Label),
		})
	}
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String(s.expression(namespace)), Label: jsii.String(""), Period: five,
		UsingMetrics: &map[string]awscloudwatch.IMetric{},
	})
}

// Searches are every fixed metric search of the dashboard, for the tests to check against
// the EMF dimension sets; GroupSearches adds those of the declared group dimensions.
var Searches []Search

func search(metric, label string, dims ...string) Search {
	s := Search{Metric: metric, Dimensions: dims, Label: label}
	Searches = append(Searches, s)
	return s
}

var (
	tokensByType    = search(tokenUsage, "tokens by type", "type")
	tokensByModel   = search(tokenUsage, "tokens by model", "model")
	costByModel     = search(costUsage, "cost (USD) by model", "model")
	sessions        = search(sessionCount, "sessions")
	linesByType     = search(linesOfCode, "lines of code", "type")
	commits         = search(commitCount, "commits")
	pullRequestsAll = search(pullRequests, "pull requests")
	decisionsByTool = search(editDecisions, "code-edit decisions", "tool", "decision")
)

// GroupSearches are the searches of the tokens and cost widgets of a declared group
// dimension.
func GroupSearches(attribute string) []Search {
	return []Search{
		{Metric: tokenUsage, Dimensions: []string{attribute}, Label: "tokens by " + attribute},
		{Metric: costUsage, Dimensions: []string{attribute}, Label: "cost (USD) by " + attribute},
	}
}

// dashboard charts usage from the EMF metrics, people from the metrics log group (Logs
// Insights, keyed on the verified user.id), Bedrock's own throttles and errors, and the
// collector service's health.
func (m *Monitoring) dashboard(p MonitoringProps) {
	ns := p.Namespace
	graph := func(title string, stacked bool, searches ...Search) awscloudwatch.IWidget {
		var metrics []awscloudwatch.IMetric
		for _, s := range searches {
			metrics = append(metrics, s.metric(ns))
		}
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String(title), Left: &metrics, Width: jsii.Number(12), Height: jsii.Number(6), Stacked: jsii.Bool(stacked),
		})
	}
	total := func(title string, s Search) awscloudwatch.IWidget {
		metric := s.metric(ns)
		if len(s.Dimensions) > 0 {
			metric = awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
				Expression: jsii.String("SUM(" + s.expression(ns) + ")"), Label: jsii.String(s.Label),
				Period: awscdk.Duration_Minutes(jsii.Number(5)), UsingMetrics: &map[string]awscloudwatch.IMetric{},
			})
		}
		return awscloudwatch.NewSingleValueWidget(&awscloudwatch.SingleValueWidgetProps{
			Title: jsii.String(title), Width: jsii.Number(6), Height: jsii.Number(4), SetPeriodToTimeRange: jsii.Bool(true),
			Metrics: &[]awscloudwatch.IMetric{metric},
		})
	}
	rows := [][]awscloudwatch.IWidget{
		{awscloudwatch.NewTextWidget(&awscloudwatch.TextWidgetProps{
			Markdown: jsii.String("# Claude Code usage\nTokens, cost and code from the OpenTelemetry collector (namespace `" + ns + "`). " +
				"People are counted by `user.id`, the hash of the subject of their verified ID token; the email beside it is what their client sent, a label only. " +
				"Per-user tables query the metrics log group (Logs Insights): each view of this dashboard scans its time range."),
			Width: jsii.Number(24), Height: jsii.Number(2),
		})},
		{total("Tokens", tokensByType), total("Estimated cost (USD)", costByModel), total("Sessions", sessions), total("Pull requests", pullRequestsAll)},
		{graph("Tokens over time by type", true, tokensByType), graph("Tokens by model", true, tokensByModel)},
		{graph("Estimated cost (USD) by model", true, costByModel), graph("Sessions, commits and pull requests", false, sessions, commits, pullRequestsAll)},
		{graph("Lines of code (added, removed)", false, linesByType), graph("Code-edit decisions by tool", true, decisionsByTool)},
	}
	for _, d := range p.Dimensions {
		gs := GroupSearches(d.Attribute)
		rows = append(rows, []awscloudwatch.IWidget{graph("Tokens by "+d.Attribute, true, gs[0]), graph("Estimated cost (USD) by "+d.Attribute, true, gs[1])})
	}
	rows = append(rows, m.peopleWidgets()...)
	rows = append(rows, m.healthWidgets()...)
	var body []*[]awscloudwatch.IWidget
	for _, r := range rows {
		body = append(body, &r)
	}
	m.Dashboard = awscloudwatch.NewDashboard(m.Construct, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DefaultInterval: awscdk.Duration_Days(jsii.Number(7)),
		Widgets:         &body,
		Variables:       &[]awscloudwatch.IVariable{userVariable()},
	})
}

// healthWidgets chart Bedrock's throttles and errors and the collector service.
func (m *Monitoring) healthWidgets() [][]awscloudwatch.IWidget {
	bedrock := func(title string, names ...string) awscloudwatch.IWidget {
		var metrics []awscloudwatch.IMetric
		for _, n := range names {
			metrics = append(metrics, awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
				Expression: jsii.String(fmt.Sprintf(`SEARCH('{AWS/Bedrock,ModelId} MetricName="%s"', 'Sum', 300)`, n)),
				Label:      jsii.String(""), Period: awscdk.Duration_Minutes(jsii.Number(5)), UsingMetrics: &map[string]awscloudwatch.IMetric{},
			}))
		}
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String(title), Left: &metrics, Width: jsii.Number(12), Height: jsii.Number(6),
		})
	}
	tg, lb := m.TargetGroup.Metrics(), m.LoadBalancer.Metrics()
	return [][]awscloudwatch.IWidget{
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
	}
}
