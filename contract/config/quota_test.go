package config

import (
	"strings"
	"testing"
)

func TestQuotaFields(t *testing.T) {
	for _, c := range []struct{ name, fields, wantErr string }{
		{"quota service, default fail mode", `"quota_url": "https://q.example.com/v1/check"`, ""},
		{"fail closed", `"quota_url": "https://q.example.com/v1/check", "quota_fail_mode": "closed"`, ""},
		{"plain http", `"quota_url": "http://q.example.com/v1/check"`, `quota_url: "http://q.example.com/v1/check" is not an https URL`},
		{"with a query", `"quota_url": "https://q.example.com/v1/check?a=1"`, "is not an https URL"},
		{"unknown fail mode", `"quota_url": "https://q.example.com", "quota_fail_mode": "maybe"`, `quota_fail_mode: "maybe" is neither`},
		{"fail mode alone", `"quota_fail_mode": "closed"`, "quota_fail_mode: set without quota_url"},
	} {
		f, err := Parse(strings.NewReader(withField(c.fields)))
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.wantErr)
		case err == nil && strings.Contains(c.fields, "closed") != f.Profiles["ClaudeCode"].FailClosed():
			t.Errorf("%s: FailClosed = %v", c.name, f.Profiles["ClaudeCode"].FailClosed())
		}
	}
}
