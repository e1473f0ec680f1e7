package queries

// Shared parts. Every query starts from a CTE named usage that filters the partitions it
// needs; pricing adds the prices of the settings and the token rows priced with them.
//
// People are keyed on user_id: the collector sets it to the SHA-256 of the subject its
// authenticator verified, so a client cannot charge its usage to someone else. The email
// comes from a client header: emailLabel shows the most recent one of an id, as a label.
const shared = `
{{define "pricing"}}prices (model_match, price_input, price_output, price_cache_read, price_cache_creation) AS (
  VALUES
{{- range $i, $p := .Prices}}{{if $i}},{{end}}
    ({{str $p.Match}}, {{num $p.Input}}, {{num $p.Output}}, {{num $p.CacheRead}}, {{num $p.CacheCreation}}){{end}}
),
model_prices AS (
  -- the longest matching model ID substring prices a model
  SELECT m.{{col "model"}},
    max_by(p.price_input, length(p.model_match)) AS price_input,
    max_by(p.price_output, length(p.model_match)) AS price_output,
    max_by(p.price_cache_read, length(p.model_match)) AS price_cache_read,
    max_by(p.price_cache_creation, length(p.model_match)) AS price_cache_creation
  FROM (SELECT DISTINCT {{col "model"}} FROM usage WHERE metric_name = {{metric "token.usage"}}) m
  JOIN prices p ON strpos(m.{{col "model"}}, p.model_match) > 0
  GROUP BY m.{{col "model"}}
),
tokens AS (
  SELECT u.*,
    u.value / 1000000E0 * CASE u.{{col "type"}}
      WHEN 'input' THEN mp.price_input
      WHEN 'output' THEN mp.price_output
      WHEN 'cacheRead' THEN mp.price_cache_read
      WHEN 'cacheCreation' THEN mp.price_cache_creation
    END AS cost_usd
  FROM usage u
  LEFT JOIN model_prices mp ON mp.{{col "model"}} = u.{{col "model"}}
  WHERE u.metric_name = {{metric "token.usage"}}
){{end}}
{{define "byType"}}sum(CASE WHEN {{col "type"}} = '{{.}}' THEN value ELSE 0 END){{end}}
{{define "emailLabel"}}max_by({{col "user.email"}}, event_time){{end}}
`

var definitions = []definition{
	define("top_users_by_tokens",
		"Top 50 users (verified user_id, with their latest email as a label) by tokens over the last 30 days, split by token type, with their session count.", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}} WHERE {{lastDays 30}}
)
SELECT
  {{col "user.id"}} AS user_id,
  {{template "emailLabel"}} AS user_email,
  sum(value) AS total_tokens,
  {{template "byType" "input"}} AS input_tokens,
  {{template "byType" "output"}} AS output_tokens,
  {{template "byType" "cacheRead"}} AS cache_read_tokens,
  {{template "byType" "cacheCreation"}} AS cache_creation_tokens,
  count(DISTINCT {{col "session.id"}}) AS sessions
FROM usage
WHERE metric_name = {{metric "token.usage"}}
GROUP BY {{col "user.id"}}
ORDER BY total_tokens DESC, user_id
LIMIT 50
`),

	define("usage_by_model_and_token_type",
		"Tokens by model and token type over the last 30 days, with each pair's share of all tokens and its user count.", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}} WHERE {{lastDays 30}}
)
SELECT
  {{col "model"}} AS model,
  {{col "type"}} AS token_type,
  sum(value) AS tokens,
  round(100 * sum(value) / sum(sum(value)) OVER (), 2) AS percent_of_tokens,
  count(DISTINCT {{col "user.id"}}) AS users
FROM usage
WHERE metric_name = {{metric "token.usage"}}
GROUP BY {{col "model"}}, {{col "type"}}
ORDER BY model, token_type
`),

	define("activity_by_hour_of_day",
		"Activity by hour of day (UTC) over the last 30 days: tokens, active users and sessions, to see when people work with Claude Code.", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}} WHERE {{lastDays 30}}
)
SELECT
  hour(event_time) AS hour_utc,
  sum(CASE WHEN metric_name = {{metric "token.usage"}} THEN value ELSE 0 END) AS tokens,
  count(DISTINCT {{col "user.id"}}) AS active_users,
  -- a session is its id and its verified user (session ids come from the client)
  count(DISTINCT {{col "user.id"}} || '/' || {{col "session.id"}}) AS sessions
FROM usage
GROUP BY hour(event_time)
ORDER BY hour_utc
`),

	define("usage_by_organization",
		"Users, tokens and estimated cost by organization, department, team and email domain over the last 30 days.", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}} WHERE {{lastDays 30}}
),
{{template "pricing" .}}
SELECT
  {{col "organization"}} AS organization,
  {{col "department"}} AS department,
  {{col "team.id"}} AS team,
  lower(split_part({{col "user.email"}}, '@', 2)) AS email_domain,
  count(DISTINCT {{col "user.id"}}) AS users,
  sum(value) AS tokens,
  round(sum(cost_usd), 4) AS estimated_cost_usd
FROM tokens
GROUP BY 1, 2, 3, 4
ORDER BY tokens DESC, organization, department, team, email_domain
`),

	define("peak_tokens_per_minute",
		"Peak tokens and requests per minute per user and model over the last 7 days, with the minute of the peak; requests are counted as input-token data points.", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}} WHERE {{lastDays 7}}
),
per_minute AS (
  SELECT
    {{col "user.id"}} AS user_id,
    {{col "model"}} AS model,
    date_trunc('minute', event_time) AS minute,
    {{template "emailLabel"}} AS user_email,
    max(event_time) AS last_seen,
    sum(value) AS tokens,
    sum(CASE WHEN {{col "type"}} = 'input' THEN 1 ELSE 0 END) AS requests
  FROM usage
  WHERE metric_name = {{metric "token.usage"}}
  GROUP BY 1, 2, 3
)
SELECT
  user_id,
  max_by(user_email, last_seen) AS user_email,
  model,
  max(tokens) AS peak_tokens_per_minute,
  max_by(minute, tokens) AS peak_minute,
  max(requests) AS peak_requests_per_minute
FROM per_minute
GROUP BY user_id, model
ORDER BY peak_tokens_per_minute DESC, user_id, model
LIMIT 100
`),

	define("sessions",
		"The 100 largest sessions of the last 7 days: duration, tokens, active time, intensity (tokens per active minute), lines changed and reported cost.", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}} WHERE {{lastDays 7}}
),
per_session AS (
  -- a session is its id and its verified user: a client reusing another's session id
  -- gets a session of its own
  SELECT
    {{col "session.id"}} AS session_id,
    {{col "user.id"}} AS user_id,
    {{template "emailLabel"}} AS user_email,
    min(event_time) AS started,
    max(event_time) AS last_seen,
    sum(CASE WHEN metric_name = {{metric "token.usage"}} THEN value ELSE 0 END) AS tokens,
    sum(CASE WHEN metric_name = {{metric "active_time.total"}} THEN value ELSE 0 END) AS active_seconds,
    sum(CASE WHEN metric_name = {{metric "lines_of_code.count"}} THEN value ELSE 0 END) AS lines_changed,
    sum(CASE WHEN metric_name = {{metric "cost.usage"}} THEN value ELSE 0 END) AS reported_cost_usd
  FROM usage
  WHERE {{col "session.id"}} IS NOT NULL
  GROUP BY {{col "session.id"}}, {{col "user.id"}}
)
SELECT
  session_id,
  user_id,
  user_email,
  started,
  last_seen,
  round(CAST(date_diff('second', started, last_seen) AS double) / 60, 1) AS duration_minutes,
  tokens,
  active_seconds,
  round(tokens / nullif(active_seconds / 60, 0), 1) AS tokens_per_active_minute,
  lines_changed,
  round(reported_cost_usd, 4) AS reported_cost_usd
FROM per_session
ORDER BY tokens DESC, session_id, user_id
LIMIT 100
`),

	define("cost_attribution",
		"Estimated cost (token usage priced with the deployment's prices) and Claude Code's own reported cost per month, user (verified user_id, latest email as a label), team and cost centre over the last three calendar months; unpriced_tokens counts tokens of models no price matches.", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}}
  WHERE concat(year, '-', month) >= date_format(date_trunc('month', current_date) - INTERVAL '2' MONTH, '%Y-%m')
),
{{template "pricing" .}},
reported AS (
  SELECT date_format(event_time, '%Y-%m') AS month, {{col "user.id"}} AS user_id, {{col "team.id"}} AS team,
    {{col "cost_center"}} AS cost_center, {{template "emailLabel"}} AS user_email, max(event_time) AS last_seen,
    sum(value) AS reported_cost_usd
  FROM usage
  WHERE metric_name = {{metric "cost.usage"}}
  GROUP BY 1, 2, 3, 4
),
estimated AS (
  SELECT date_format(event_time, '%Y-%m') AS month, {{col "user.id"}} AS user_id, {{col "team.id"}} AS team,
    {{col "cost_center"}} AS cost_center, {{template "emailLabel"}} AS user_email, max(event_time) AS last_seen,
    sum(value) AS tokens, sum(cost_usd) AS estimated_cost_usd,
    sum(CASE WHEN cost_usd IS NULL THEN value ELSE 0 END) AS unpriced_tokens
  FROM tokens
  GROUP BY 1, 2, 3, 4
)
SELECT
  coalesce(e.month, r.month) AS month,
  coalesce(e.user_id, r.user_id) AS user_id,
  CASE WHEN r.last_seen > e.last_seen OR e.last_seen IS NULL THEN r.user_email ELSE e.user_email END AS user_email,
  coalesce(e.team, r.team) AS team,
  coalesce(e.cost_center, r.cost_center) AS cost_center,
  coalesce(e.tokens, 0) AS tokens,
  round(coalesce(e.estimated_cost_usd, 0), 4) AS estimated_cost_usd,
  round(coalesce(r.reported_cost_usd, 0), 4) AS reported_cost_usd,
  coalesce(e.unpriced_tokens, 0) AS unpriced_tokens
FROM estimated e
FULL OUTER JOIN reported r
  ON e.month = r.month AND e.user_id IS NOT DISTINCT FROM r.user_id
  AND e.team IS NOT DISTINCT FROM r.team AND e.cost_center IS NOT DISTINCT FROM r.cost_center
ORDER BY month DESC, estimated_cost_usd DESC, user_id
`),

	define("quota_tracking",
		"Each user's (verified user_id, latest email as a label) usage this calendar month against their limits: monthly tokens and USD from the quota stack's policies (the user's own, else the default; group policies are not shown, see ccwb quota usage), else analytics.quotas, and peak tokens and requests per minute; over_quota marks users above any limit (no limit shows as NULL).", shared+`
WITH usage AS (
  SELECT * FROM {{.Table}} WHERE {{thisMonth}} AND metric_name = {{metric "token.usage"}}
),
{{template "pricing" .}},
limits AS (
  SELECT
    {{limit .Quotas.TokensPerMinute}} AS tokens_per_minute_limit,
    {{limit .Quotas.RequestsPerMinute}} AS requests_per_minute_limit
),
user_limits (user_id, monthly_tokens, monthly_usd) AS (
  VALUES
{{- range $i, $l := userLimits .}}{{if $i}},{{end}}
    ({{userID $l.UserID}}, {{flimit $l.MonthlyTokens}}, {{flimit $l.MonthlyUSD}}){{end}}
),
per_minute AS (
  SELECT {{col "user.id"}} AS user_id, date_trunc('minute', event_time) AS minute,
    {{template "emailLabel"}} AS user_email, max(event_time) AS last_seen,
    sum(value) AS tokens, sum(cost_usd) AS cost_usd, sum(CASE WHEN {{col "type"}} = 'input' THEN 1 ELSE 0 END) AS requests
  FROM tokens
  GROUP BY 1, 2
),
per_user AS (
  SELECT user_id, max_by(user_email, last_seen) AS user_email, sum(tokens) AS month_tokens, sum(cost_usd) AS month_cost_usd,
    max(tokens) AS peak_tokens_per_minute, max(requests) AS peak_requests_per_minute
  FROM per_minute
  GROUP BY user_id
),
per_user_limits AS (
  SELECT u.*, coalesce(ul.monthly_tokens, dl.monthly_tokens) AS monthly_tokens_limit,
    coalesce(ul.monthly_usd, dl.monthly_usd) AS monthly_usd_limit
  FROM per_user u
  LEFT JOIN user_limits ul ON ul.user_id = u.user_id
  CROSS JOIN (SELECT * FROM user_limits WHERE user_id IS NULL) dl
)
SELECT
  u.user_id,
  u.user_email,
  u.month_tokens,
  u.monthly_tokens_limit,
  round(100 * u.month_tokens / u.monthly_tokens_limit, 1) AS percent_of_monthly_limit,
  round(u.month_cost_usd, 4) AS month_cost_usd,
  u.monthly_usd_limit,
  u.peak_tokens_per_minute,
  l.tokens_per_minute_limit,
  u.peak_requests_per_minute,
  l.requests_per_minute_limit,
  coalesce(u.month_tokens > u.monthly_tokens_limit, false)
    OR coalesce(u.month_cost_usd > u.monthly_usd_limit, false)
    OR coalesce(u.peak_tokens_per_minute > l.tokens_per_minute_limit, false)
    OR coalesce(u.peak_requests_per_minute > l.requests_per_minute_limit, false) AS over_quota
FROM per_user_limits u
CROSS JOIN limits l
ORDER BY over_quota DESC, u.month_tokens DESC, u.user_id
`),
}
