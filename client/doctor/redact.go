package doctor

import (
	"encoding/json"
	"regexp"
	"sync"
)

// Redacted replaces a secret's value in a support bundle.
const Redacted = "<redacted>"

// The patterns compile on first use: the credential process links this package, and its
// cached path must not pay for them.
var (
	secretKeyRe = lazy(`(?i)token|secret|password|passwd|key|session|authorization|cookie|credential|assertion`)
	jwtRe       = lazy(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	accessKeyRe = lazy(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`)
	emailRe     = lazy(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	// assignmentRe is a "key = value" or "key: value" line of a text file whose key names a secret.
	assignmentRe = lazy(`(?im)^(\s*[^\s=:#]*(?:token|secret|password|key|session|authorization|cookie|credential)[^\s=:]*\s*[=:]\s*).+$`)
)

// Redactor removes secrets from what goes into a support bundle: the values of keys that
// name a secret, JWTs, AWS access key IDs, and e-mail addresses unless KeepIdentity.
type Redactor struct {
	KeepIdentity bool
}

// JSON returns the document with its secrets removed; data that is not JSON is treated as text.
func (r Redactor) JSON(data []byte) []byte {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return []byte(r.Text(string(data)))
	}
	out, err := json.MarshalIndent(r.value(v), "", "  ")
	if err != nil {
		return []byte(Redacted)
	}
	return out
}

func (r Redactor) value(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && secretKeyRe().MatchString(k) && s != "" {
				x[k] = Redacted
			} else {
				x[k] = r.value(e)
			}
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = r.value(e)
		}
		return x
	case string:
		return r.Text(x)
	}
	return v
}

// Text returns s with secret assignments, JWTs, access key IDs and (unless KeepIdentity)
// e-mail addresses removed.
func (r Redactor) Text(s string) string {
	s = assignmentRe().ReplaceAllString(s, "${1}"+Redacted)
	s = jwtRe().ReplaceAllString(s, "<jwt>")
	s = accessKeyRe().ReplaceAllString(s, "<access-key-id>")
	if !r.KeepIdentity {
		s = emailRe().ReplaceAllString(s, "<email>")
	}
	return s
}

func lazy(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
