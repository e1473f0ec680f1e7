// Package doctor is the report both doctors print (`ccwb doctor` for the platform team,
// `credential-process --doctor` for the end user): one result per check, in the same text
// line and JSON shape, so that support reads both alike (docs/platform/doctor.md).
package doctor

import "time"

// Status is a check's outcome.
type Status string

// The statuses, worst last.
const (
	Skip Status = "SKIP" // the check does not apply here
	Pass Status = "PASS"
	Warn Status = "WARN" // works, but will not for long, or not everywhere
	Fail Status = "FAIL" // broken: the Fix says what to do
)

// ProbeTimeout bounds each check: a network probe, or a keyring that hangs.
const ProbeTimeout = 5 * time.Second

// Result is one check's outcome.
type Result struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
	// DurationMS is how long the check took.
	DurationMS int64 `json:"duration_ms"`
}

// Report is one doctor run.
type Report struct {
	Tool    string    `json:"tool"` // "ccwb doctor" or "credential-process --doctor"
	Version string    `json:"version"`
	Time    time.Time `json:"time"`
	OS      string    `json:"os"`
	Arch    string    `json:"arch"`
	Results []Result  `json:"checks"`
}

// Failed reports whether a check failed.
func (r Report) Failed() bool {
	for _, c := range r.Results {
		if c.Status == Fail {
			return true
		}
	}
	return false
}
