// Package identity turns an ID token's claims into the identity headers the otel-helper
// prints for Claude Code's otelHeadersHelper, following contract/schema.Attributes (docs/architecture.md, "Identity attributes"):
// for each identity attribute the first claim with a value wins, then the attribute's
// default; the stable user id is the hash of the subject.
package identity

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"ccwb.dev/contract/schema"
)

// MaxValueBytes caps one header value: CloudWatch dimension values stop at 1024 characters
// and no identity attribute needs more.
const MaxValueBytes = 256

// AuthorizationHeader carries the ID token to the collector's OIDC authenticator.
const AuthorizationHeader = "Authorization"

// Headers maps the claims to the identity headers (header name → value as it should reach
// the collector). An attribute with no claim value and no default is left out.
func Headers(claims map[string]any) map[string]string {
	out := make(map[string]string, 16)
	for _, a := range schema.IdentityAttributes() {
		v := ""
		for _, c := range a.Claims {
			if v = String(claims[c]); v != "" {
				break
			}
		}
		if v != "" && a.Hashed {
			v = schema.StableID(v)
		}
		if v == "" {
			v = a.Default
		}
		if v = wire(v); v != "" {
			out[a.Header] = v
		}
	}
	return out
}

// preferredKeys are the fields of an object claim that name it (e.g. an Entra manager object).
var preferredKeys = []string{"email", "mail", "name", "displayName", "value", "id"}

// String renders a claim value as one string: strings trimmed, numbers as written (no
// exponent for integers), booleans as true/false, arrays as their non-empty elements joined
// with ",", objects by their email/name/value/id field or else as compact JSON; null and
// anything empty give "".
func String(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return strconv.FormatInt(i, 10)
		}
		if f, err := v.Float64(); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			if s := String(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ",")
	case map[string]any:
		for _, k := range preferredKeys {
			if s := String(v[k]); s != "" {
				return s
			}
		}
		if len(v) == 0 {
			return ""
		}
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
}

// wire makes v a safe HTTP header value that reads the same in every consumer: printable
// ASCII stays as it is, except "%", which becomes "%25"; every other byte (control
// characters, UTF-8 of non-ASCII letters) is percent-encoded. Node (Claude Code) rejects
// header values beyond Latin-1, so "José" travels as "Jos%C3%A9"; a URL decoder restores it.
// The result is cut to MaxValueBytes on a whole escape.
func wire(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		var piece string
		switch {
		case c >= 0x20 && c < 0x7f && c != '%':
			piece = v[i : i+1]
		default:
			piece = "%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
		}
		if b.Len()+len(piece) > MaxValueBytes {
			break
		}
		b.WriteString(piece)
	}
	return strings.TrimSpace(b.String())
}

// helperEscape prepares a wire value for Claude Code, which passes the helper's headers
// through OTEL_EXPORTER_OTLP_HEADERS ("k=v,k=v", each value URL-decoded once by the
// OpenTelemetry SDK): "%", "," and ";" are escaped so that the decoded value is the wire value.
func helperEscape(v string) string {
	if !strings.ContainsAny(v, "%,;") {
		return v
	}
	r := strings.NewReplacer("%", "%25", ",", "%2C", ";", "%3B")
	return r.Replace(v)
}

// JSON renders the otel-helper's output: the identity headers and the Authorization header
// with the ID token, as one JSON object of strings with sorted keys.
func JSON(headers map[string]string, idToken string) []byte {
	keys := make([]string, 0, len(headers)+1)
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	buf := make([]byte, 0, 512+len(idToken))
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, k)
		buf = append(buf, ':')
		buf = appendJSONString(buf, helperEscape(headers[k]))
	}
	if idToken != "" {
		if len(keys) > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `"`+AuthorizationHeader+`":`...)
		buf = appendJSONString(buf, "Bearer "+idToken)
	}
	return append(buf, '}', '\n')
}

// appendJSONString appends s as a JSON string; s is printable ASCII after wire, but a token
// is outside input, so anything else is escaped through encoding/json.
func appendJSONString(buf []byte, s string) []byte {
	plain := utf8.ValidString(s)
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\' && s[i] != '<' && s[i] != '>' && s[i] != '&'
	}
	if plain {
		buf = append(buf, '"')
		buf = append(buf, s...)
		return append(buf, '"')
	}
	b, _ := json.Marshal(s)
	return append(buf, b...)
}
