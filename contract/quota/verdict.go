package quota

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Decision is the check service's answer.
type Decision string

const (
	Allowed Decision = "allowed"
	Warned  Decision = "warn"
	Blocked Decision = "blocked"
)

// Verdict is the check service's response body (POST CheckPath), shared by the service and
// the credential process: the decision, and the limit it is about (the most severe one).
type Verdict struct {
	Decision Decision `json:"decision"`
	Metric   Metric   `json:"metric,omitempty"`
	Period   Period   `json:"period,omitempty"`
	Limit    float64  `json:"limit,omitempty"`
	Usage    float64  `json:"usage,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	Percent  float64  `json:"percent,omitempty"`
	// ResetsAt is when the period ends, RFC 3339 in UTC.
	ResetsAt       string   `json:"resets_at,omitempty"`
	UnpricedModels []string `json:"unpriced_models,omitempty"`
	// Override says an administrator lifted a block until OverrideUntil.
	Override      bool   `json:"override,omitempty"`
	OverrideUntil string `json:"override_until,omitempty"`
}

// VerdictOf turns the worst status into the answer; override lifts a block (until).
func VerdictOf(sts []Status, u Usage, override time.Time, now time.Time) Verdict {
	w, ok := Worst(sts)
	if !ok {
		return Verdict{Decision: Allowed}
	}
	v := Verdict{
		Decision: Allowed, Metric: w.Policy.Metric, Period: w.Policy.Period, Limit: w.Policy.Limit,
		Usage: w.Used, Unit: w.Policy.Metric.Unit(), Percent: math.Floor(w.Percent*10) / 10,
		ResetsAt: w.ResetsAt.UTC().Format(time.RFC3339),
	}
	if w.Policy.Metric == USD {
		v.UnpricedModels = u.UnpricedModels
	}
	switch {
	case w.Blocked && override.After(now):
		v.Decision, v.Override, v.OverrideUntil = Warned, true, override.UTC().Format(time.RFC3339)
	case w.Blocked:
		v.Decision = Blocked
	case len(w.Reached) > 0:
		v.Decision = Warned
	}
	return v
}

// ParseVerdict reads a check service response.
func ParseVerdict(data []byte) (Verdict, error) {
	var v Verdict
	if err := json.Unmarshal(data, &v); err != nil {
		return Verdict{}, fmt.Errorf("read the quota service's answer: %w", err)
	}
	switch v.Decision {
	case Allowed, Warned, Blocked:
		return v, nil
	}
	return Verdict{}, fmt.Errorf("the quota service answered decision %q, not allowed, warn or blocked", v.Decision)
}

// Amount writes a value of the verdict's unit: "USD 85.20" or "4,250,000 tokens".
func (v Verdict) Amount(x float64) string {
	if v.Metric == USD {
		return fmt.Sprintf("USD %.2f", x)
	}
	return thousands(int64(math.Round(x))) + " tokens"
}

func (v Verdict) resets() string {
	t, err := time.Parse(time.RFC3339, v.ResetsAt)
	if err != nil {
		return "at the end of the period"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// Message is what the user is told (one line), or "" when allowed.
func (v Verdict) Message() string {
	switch v.Decision {
	case Blocked:
		return fmt.Sprintf("Claude Code is blocked: your %s limit of %s is reached (%s used); it resets %s. Ask your administrator to raise it.",
			v.Period, v.Amount(v.Limit), v.Amount(v.Usage), v.resets())
	case Warned:
		if v.Override {
			return fmt.Sprintf("ccwb: your %s limit of %s is reached (%s used), but an administrator lifted the block until %s",
				v.Period, v.Amount(v.Limit), v.Amount(v.Usage), v.OverrideUntil)
		}
		return fmt.Sprintf("ccwb: %.0f%% of your %s limit used (%s of %s); it resets %s",
			math.Floor(v.Percent), v.Period, v.Amount(v.Usage), v.Amount(v.Limit), v.resets())
	}
	return ""
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
