package install

import "strings"

// AWSProfile is one `[profile NAME]` section the installer owns keys in.
type AWSProfile struct {
	Name string
	// Keys are set in this order; other keys of the section are left alone.
	Keys [][2]string
}

// sectionName is the header of a profile's section in ~/.aws/config.
func sectionName(profile string) string {
	if profile == "default" {
		return "default"
	}
	return "profile " + profile
}

// headerName returns the section name of an INI header line ("[ profile x ]" → "profile x").
func headerName(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "[") {
		return "", false
	}
	end := strings.IndexByte(t, ']')
	if end < 0 {
		return "", false
	}
	return strings.Join(strings.Fields(t[1:end]), " "), true
}

// keyOf returns the key of a "key = value" line at column 0.
func keyOf(line string) string {
	if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == ';' {
		return ""
	}
	k, _, ok := strings.Cut(line, "=")
	if !ok {
		return ""
	}
	return strings.TrimSpace(k)
}

// span is a section: the header line index and the first line after the section.
type span struct{ header, end int }

func findSection(lines []string, name string) (span, bool) {
	for i, l := range lines {
		if n, ok := headerName(l); ok && n == name {
			end := i + 1
			for end < len(lines) {
				if _, ok := headerName(lines[end]); ok {
					break
				}
				end++
			}
			return span{i, end}, true
		}
	}
	return span{}, false
}

func splitLines(text []byte) []string {
	s := strings.TrimSuffix(string(text), "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r") // CRLF files come back with LF
	}
	return lines
}

func joinLines(lines []string) []byte {
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// SetProfile adds the profile's section to an AWS config file, or sets its keys in the
// existing section (replacing a key's value and any indented sub-lines under it). Every
// other section and line is kept byte for byte.
func SetProfile(text []byte, p AWSProfile) []byte {
	lines := splitLines(text)
	sec, ok := findSection(lines, sectionName(p.Name))
	if !ok {
		if len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) != "" {
			lines = append(lines, "")
		}
		lines = append(lines, "["+sectionName(p.Name)+"]")
		for _, kv := range p.Keys {
			lines = append(lines, kv[0]+" = "+kv[1])
		}
		return joinLines(lines)
	}
	body := append([]string(nil), lines[sec.header+1:sec.end]...)
	for _, kv := range p.Keys {
		body = setKey(body, kv[0], kv[1])
	}
	out := append(append(append([]string(nil), lines[:sec.header+1]...), body...), lines[sec.end:]...)
	return joinLines(out)
}

// setKey sets key in a section body, dropping the old value's indented continuation lines.
func setKey(body []string, key, value string) []string {
	line := key + " = " + value
	for i, l := range body {
		if keyOf(l) != key {
			continue
		}
		end := i + 1
		for end < len(body) && strings.TrimSpace(body[end]) != "" && (body[end][0] == ' ' || body[end][0] == '\t') {
			end++
		}
		return append(append(append([]string(nil), body[:i]...), line), body[end:]...)
	}
	// Append after the section's last non-blank line, keeping the blank lines that
	// separate it from the next section.
	last := len(body)
	for last > 0 && strings.TrimSpace(body[last-1]) == "" {
		last--
	}
	return append(append(append([]string(nil), body[:last]...), line), body[last:]...)
}

// RemoveProfile deletes the profile's section (header, keys and the blank lines that
// followed it). Other sections are kept byte for byte.
func RemoveProfile(text []byte, name string) []byte {
	lines := splitLines(text)
	sec, ok := findSection(lines, sectionName(name))
	if !ok {
		return text
	}
	out := append(append([]string(nil), lines[:sec.header]...), lines[sec.end:]...)
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return joinLines(out)
}
