package install

import "strings"

// ProfileSection returns the text of a profile's section in an AWS config file (header
// included), for the doctor and its support bundle; ok is false when there is none.
func ProfileSection(text []byte, profile string) (section string, ok bool) {
	lines := splitLines(text)
	sp, ok := findSection(lines, sectionName(profile))
	if !ok {
		return "", false
	}
	return strings.Join(lines[sp.header:sp.end], "\n"), true
}

// ProfileValue returns the value of key in a profile's section of an AWS config file.
func ProfileValue(text []byte, profile, key string) (string, bool) {
	lines := splitLines(text)
	sp, ok := findSection(lines, sectionName(profile))
	if !ok {
		return "", false
	}
	for _, l := range lines[sp.header+1 : sp.end] {
		if keyOf(l) == key {
			_, v, _ := strings.Cut(l, "=")
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}
