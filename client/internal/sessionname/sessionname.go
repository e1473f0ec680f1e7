// Package sessionname turns a user's email (or subject) into an STS RoleSessionName, so
// that every AWS session names the person who started it (CloudTrail, Bedrock logs).
package sessionname

import "strings"

// STS accepts 2 to 64 characters from [\w+=,.@-].
const (
	minLen = 2
	maxLen = 64
)

// From returns a valid RoleSessionName for the first non-empty candidate (email first, then
// subject). Characters outside STS's alphabet become '-'; the result is cut to 64
// characters; a result too short is padded with "ccwb-".
func From(candidates ...string) string {
	for _, c := range candidates {
		if s := sanitise(c); s != "" {
			if len(s) < minLen {
				s = "ccwb-" + s
			}
			return s
		}
	}
	return "ccwb-user"
}

func sanitise(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxLen {
			break
		}
		if allowed(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

func allowed(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("_+=,.@-", r)
}
