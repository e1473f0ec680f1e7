package invocationlog

import (
	"errors"
	"os"
	"testing"
)

func TestParseDocumentedShape(t *testing.T) {
	msg, err := os.ReadFile("testdata/record.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse(msg)
	if err != nil {
		t.Fatal(err)
	}
	if r.RequestID != "915a6a04-1e9d-4a8e-9e6a-2c0f8b0c7d11" || r.Region != "us-east-1" || r.ModelID != "us.anthropic.claude-sonnet-4-5-20250929-v1:0" ||
		r.Tokens.Input != 35 || r.Tokens.Output != 446 || r.Tokens.CacheRead != 1200 || r.Tokens.CacheCreation != 64 || !r.Metered {
		t.Errorf("record: %+v", r)
	}
	c := Caller{Account: "123456789012", Role: "ccwb-auth-BedrockAuthRole1234"}
	if sub, ok := c.Subject(r); !ok || sub != "00u1abcd2EFGH3ijk4l5" {
		t.Errorf("Subject = %q %v", sub, ok)
	}
	for _, other := range []Caller{{"999999999999", c.Role}, {c.Account, "SomeOtherRole"}} {
		if _, ok := other.Subject(r); ok {
			t.Errorf("a record of %+v's role is metered for %+v", c, other)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for name, msg := range map[string]string{
		"not json":     `{`,
		"no request":   `{"schemaType":"ModelInvocationLog","identity":{"arn":"x"},"timestamp":"2026-12-01T10:00:00Z"}`,
		"bad time":     `{"schemaType":"ModelInvocationLog","requestId":"r","identity":{"arn":"x"},"timestamp":"yesterday"}`,
		"negative":     `{"schemaType":"ModelInvocationLog","requestId":"r","identity":{"arn":"x"},"timestamp":"2026-12-01T10:00:00Z","output":{"outputTokenCount":-5}}`,
		"other schema": `{"schemaType":"SomethingElse"}`,
	} {
		if _, err := Parse([]byte(msg)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := Parse([]byte(`{"schemaType":"x"}`)); !errors.Is(err, ErrNotInvocation) {
		t.Errorf("another schema: %v, want ErrNotInvocation", err)
	}
	r, err := Parse([]byte(`{"schemaType":"ModelInvocationLog","requestId":"r","identity":{"arn":"arn:aws:iam::1:user/bob"},"timestamp":"2026-12-01T10:00:00Z"}`))
	if err != nil || r.Metered || r.Role != "" {
		t.Errorf("an IAM user's record without counts: %+v %v", r, err)
	}
}

func FuzzParse(f *testing.F) {
	msg, _ := os.ReadFile("testdata/record.json")
	f.Add(msg)
	f.Add([]byte(`{"schemaType":"ModelInvocationLog","requestId":"r","identity":{"arn":"arn:aws:sts::1:assumed-role/a/b/c"},"timestamp":"2026-12-01T10:00:00Z"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			return
		}
		if r.RequestID == "" || r.Tokens.Input < 0 || r.Tokens.Output < 0 || r.Tokens.CacheRead < 0 || r.Tokens.CacheCreation < 0 {
			t.Errorf("accepted a record the quota service cannot count: %+v", r)
		}
	})
}
