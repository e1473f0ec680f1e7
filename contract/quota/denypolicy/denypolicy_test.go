package denypolicy

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"ccwb.dev/contract/provider"
)

func subjects(n, length int) []string {
	out := make([]string, n)
	for i := range out {
		s := fmt.Sprintf("00u%d", i)
		out[i] = s + strings.Repeat("x", length-len(s))
	}
	return out
}

// TestBuildFitsIAMLimit: every document stays within IAM's 6,144 characters, holds the
// subjects in order, and the capacity per provider is what Build actually packs.
func TestBuildFitsIAMLimit(t *testing.T) {
	for _, typ := range []provider.Type{provider.Okta, provider.Google, provider.Cognito, provider.Azure, provider.Generic} {
		n := SubjectLength(typ)
		c := Capacity(n)
		subs := subjects(3*c+7, n)
		docs, enforced := Build(subs, 3)
		if len(docs) != 3 || enforced != 3*c {
			t.Errorf("%s: %d docs holding %d subjects, want 3 holding %d (capacity %d)", typ, len(docs), enforced, 3*c, c)
		}
		var got []string
		for _, d := range docs {
			if Size(d) > MaxSize {
				t.Errorf("%s: a document has %d characters, over %d", typ, Size(d), MaxSize)
			}
			var doc Document
			if err := json.Unmarshal([]byte(d), &doc); err != nil {
				t.Fatal(err)
			}
			for _, id := range doc.Statement[0].Condition["StringLike"]["aws:userid"] {
				got = append(got, strings.TrimPrefix(id, "*:"))
			}
		}
		if strings.Join(got, ",") != strings.Join(subs[:enforced], ",") {
			t.Errorf("%s: the documents do not hold the earliest subjects in order", typ)
		}
		one := For(subs[:c+1]).JSON()
		if Size(one) <= MaxSize {
			t.Errorf("%s: capacity %d is too low: %d subjects fit in %d characters", typ, c, c+1, Size(one))
		}
	}
	if c := Capacity(20); c < 230 || c > 245 {
		t.Errorf("Okta capacity %d, expected about 238 (6,144 / 25)", c)
	}
}

func TestBuildEmptyAndDeterministic(t *testing.T) {
	docs, n := Build(nil, 2)
	if n != 0 || len(docs) != 2 {
		t.Fatalf("Build(nil, 2) = %d docs, %d", len(docs), n)
	}
	for _, d := range docs {
		if !strings.Contains(d, `"aws:userid":["`+Placeholder+`"]`) {
			t.Errorf("an empty policy lacks the placeholder: %s", d)
		}
	}
	a, _ := Build([]string{"b", "a"}, 1)
	b, _ := Build([]string{"b", "a"}, 1)
	if a[0] != b[0] || !strings.Contains(a[0], `["*:b","*:a"]`) {
		t.Errorf("Build is not deterministic or reorders: %s", a[0])
	}
	if Size(" a\n\tb ") != 2 {
		t.Error("Size counts whitespace")
	}
}

func TestPolicies(t *testing.T) {
	if got := Policies(500, "okta"); got != 3 {
		t.Errorf("500 Okta users need %d policies, want 3", got)
	}
	if got := Policies(500, "azure"); got != 5 {
		t.Errorf("500 Entra users need %d policies, want 5", got)
	}
	if Policies(1, "generic") != 1 {
		t.Error("one user needs one policy")
	}
}
