// Package upgrade is the credential process's once-a-day upgrade notice: right after it got
// fresh credentials from STS (never on the cached path), at most once a day, it reads the
// deployment's latest.json with those credentials (the Bedrock role may read that one
// object) and, when a newer package is published, says so on stderr, at most once a day.
// The AWS CLI and the JS SDK drop a successful credential_process's stderr, so the last
// answer is kept in a state file that `credential-process --version` and the sign-in page
// show too.
package upgrade

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/semver"

	"ccwb.dev/client/internal/atomicfile"
)

// Interval is how often the check and the notice may happen.
const Interval = 24 * time.Hour

// EnvOptOut turns the check off for one user (CCWB_NO_UPGRADE_CHECK=1).
const EnvOptOut = "CCWB_NO_UPGRADE_CHECK"

// State is what the last check learnt, in a 0600 file of the profile's cache directory.
type State struct {
	CheckedAt  time.Time `json:"checked_at"`
	Latest     string    `json:"latest,omitempty"`
	LandingURL string    `json:"landing_url,omitempty"`
	NotifiedAt time.Time `json:"notified_at,omitzero"`
}

// Read reads the state file; a missing or corrupt one is no state.
func Read(path string) (State, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return State{}, false
	}
	var s State
	if json.Unmarshal(data, &s) != nil {
		return State{}, false
	}
	return s, true
}

// write stores the state: 0600, by rename, in a 0700 directory.
func (s State) write(path string) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(path, data, 0o600)
}

// Newer says whether latest is a newer package than current: by semantic version when
// both are one, else whenever they differ.
func Newer(latest, current string) bool {
	if latest == "" || latest == current {
		return false
	}
	l, c := "v"+latest, "v"+current
	if semver.IsValid(l) && semver.IsValid(c) {
		return semver.Compare(l, c) > 0
	}
	return true
}

// Notice is the line that tells of a newer package, "" when there is none.
func (s State) Notice(current string) string {
	if !Newer(s.Latest, current) {
		return ""
	}
	msg := fmt.Sprintf("ccwb: Claude Code with Amazon Bedrock %s is available (you have %s)", s.Latest, current)
	if s.LandingURL != "" {
		msg += ": " + s.LandingURL
	} else {
		msg += ": ask your platform team for the new package"
	}
	return msg
}

// Describe is what --version says of the last check.
func Describe(path, current string) string {
	s, ok := Read(path)
	if !ok {
		return "latest published: not checked yet (the check runs after the next sign-in, at most once a day)"
	}
	line := fmt.Sprintf("latest published: %s (checked %s)", s.Latest, s.CheckedAt.UTC().Format(time.RFC3339))
	if n := s.Notice(current); n != "" {
		line += "\n" + n
	}
	return line
}
