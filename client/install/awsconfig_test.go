package install

import (
	"strings"
	"testing"
)

var ours = AWSProfile{Name: "ClaudeCode", Keys: [][2]string{
	{"credential_process", `"/h/ccwb/credential-process" --profile ClaudeCode`},
	{"region", "us-east-1"},
}}

func TestSetProfile(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"empty file": {"", `[profile ClaudeCode]
credential_process = "/h/ccwb/credential-process" --profile ClaudeCode
region = us-east-1
`},
		"appended after other profiles, which are untouched": {`[default]
region = eu-west-1

[profile work]
sso_session = corp
s3 =
  max_concurrent_requests = 20
`, `[default]
region = eu-west-1

[profile work]
sso_session = corp
s3 =
  max_concurrent_requests = 20

[profile ClaudeCode]
credential_process = "/h/ccwb/credential-process" --profile ClaudeCode
region = us-east-1
`},
		"existing section updated in place, user keys kept": {`[profile ClaudeCode]
region=eu-central-1
output = json
credential_process = old
  continuation of old

[profile other]
region = us-west-2
`, `[profile ClaudeCode]
region = us-east-1
output = json
credential_process = "/h/ccwb/credential-process" --profile ClaudeCode

[profile other]
region = us-west-2
`},
		"header spacing and CRLF": {"[ profile  ClaudeCode ]\r\noutput = json\r\n", `[ profile  ClaudeCode ]
output = json
credential_process = "/h/ccwb/credential-process" --profile ClaudeCode
region = us-east-1
`},
		"a similarly named profile is not ours": {"[profile ClaudeCode2]\nregion = x\n", `[profile ClaudeCode2]
region = x

[profile ClaudeCode]
credential_process = "/h/ccwb/credential-process" --profile ClaudeCode
region = us-east-1
`},
	} {
		t.Run(name, func(t *testing.T) {
			got := string(SetProfile([]byte(c.in), ours))
			if got != c.want {
				t.Fatalf("got\n%s\nwant\n%s", got, c.want)
			}
			if again := string(SetProfile([]byte(got), ours)); again != got {
				t.Fatalf("not idempotent; second run gave\n%s", again)
			}
		})
	}
}

func TestRemoveProfile(t *testing.T) {
	in := "[default]\nregion = eu-west-1\n\n[profile ClaudeCode]\nregion = us-east-1\n\n[profile work]\nregion = x\n"
	want := "[default]\nregion = eu-west-1\n\n[profile work]\nregion = x\n"
	if got := string(RemoveProfile([]byte(in), "ClaudeCode")); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := string(RemoveProfile([]byte(want), "ClaudeCode")); got != want {
		t.Fatalf("removing an absent profile changed the file:\n%s", got)
	}
	orig := "[profile work]\nregion = x\n"
	if got := string(RemoveProfile(SetProfile([]byte(orig), ours), ours.Name)); got != orig {
		t.Fatalf("set then remove = %q, want the original %q", got, orig)
	}
}

func FuzzSetProfile(f *testing.F) {
	f.Add("[default]\nregion = x\n")
	f.Add("[profile ClaudeCode]\ncredential_process = a\n  b\n[x")
	f.Fuzz(func(t *testing.T, in string) {
		out := SetProfile([]byte(in), ours)
		if _, ok := findSection(splitLines(out), sectionName(ours.Name)); !ok {
			t.Fatal("profile missing after SetProfile")
		}
		if again := SetProfile(out, ours); string(again) != string(out) {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		if !strings.Contains(string(out), "credential_process = "+ours.Keys[0][1]) {
			t.Fatal("credential_process not set")
		}
	})
}

func TestProfileValue(t *testing.T) {
	text := []byte("[default]\nregion = eu-west-1\n[profile ClaudeCode]\ncredential_process = /opt/ccwb/credential-process --profile ClaudeCode\nregion = us-east-1\n[profile other]\nregion = x\n")
	if v, ok := ProfileValue(text, "ClaudeCode", "credential_process"); !ok || v != "/opt/ccwb/credential-process --profile ClaudeCode" {
		t.Errorf("credential_process = %q, %v", v, ok)
	}
	if _, ok := ProfileValue(text, "ClaudeCode", "sso_start_url"); ok {
		t.Error("a key the section lacks was found")
	}
	if s, ok := ProfileSection(text, "ClaudeCode"); !ok || !strings.HasPrefix(s, "[profile ClaudeCode]") || strings.Contains(s, "other") {
		t.Errorf("section %q", s)
	}
	if _, ok := ProfileSection(text, "missing"); ok {
		t.Error("a missing profile was found")
	}
}
