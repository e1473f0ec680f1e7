package install

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var claude = ClaudeSettings{
	Env:               map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "ClaudeCode"},
	OtelHeadersHelper: "/h/ccwb/otel-helper",
}

func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	return m
}

func TestMergeKeepsTheUsersSettings(t *testing.T) {
	user := `{"permissions": {"allow": ["Bash(ls:*)"]}, "env": {"EDITOR": "vim <&>", "AWS_PROFILE": "old"}, "model": "opus"}`
	out, err := MergeClaudeSettings([]byte(user), claude)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"permissions":       map[string]any{"allow": []any{"Bash(ls:*)"}},
		"model":             "opus",
		"otelHeadersHelper": "/h/ccwb/otel-helper",
		"env":               map[string]any{"EDITOR": "vim <&>", "AWS_PROFILE": "ClaudeCode", "CLAUDE_CODE_USE_BEDROCK": "1"},
	}
	if got := decode(t, out); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if !strings.Contains(string(out), "vim <&>") {
		t.Errorf("user's string was re-escaped:\n%s", out)
	}
	again, err := MergeClaudeSettings(out, claude)
	if err != nil || string(again) != string(out) {
		t.Fatalf("merge not idempotent (%v):\n%s", err, again)
	}
	back, err := UnmergeClaudeSettings(out, claude)
	if err != nil {
		t.Fatal(err)
	}
	// AWS_PROFILE was the user's before; unmerge removes our value, it cannot know theirs
	// (the installer's backup holds it).
	wantBack := map[string]any{
		"permissions": map[string]any{"allow": []any{"Bash(ls:*)"}},
		"model":       "opus",
		"env":         map[string]any{"EDITOR": "vim <&>"},
	}
	if got := decode(t, back); !reflect.DeepEqual(got, wantBack) {
		t.Fatalf("unmerge got %v\nwant %v", got, wantBack)
	}
}

func TestUnmergeKeepsValuesTheUserChanged(t *testing.T) {
	out, _ := MergeClaudeSettings(nil, claude)
	changed := strings.Replace(string(out), `"ClaudeCode"`, `"Mine"`, 1)
	back, err := UnmergeClaudeSettings([]byte(changed), claude)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"env": map[string]any{"AWS_PROFILE": "Mine"}}
	if got := decode(t, back); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestMergeRefusesWhatIsNotAnObject(t *testing.T) {
	for _, in := range []string{`[1]`, `{"a":1} {}`, `{"env": "x"}`, `{broken`} {
		if _, err := MergeClaudeSettings([]byte(in), claude); err == nil || !strings.Contains(err.Error(), "run the installer again") {
			t.Errorf("%s: error = %v, want a refusal telling the user what to do", in, err)
		}
	}
	for _, in := range []string{"", "  \n", "null"} {
		if _, err := MergeClaudeSettings([]byte(in), claude); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func FuzzMergeClaudeSettings(f *testing.F) {
	f.Add(`{"env":{"A":"b"},"x":[1,2]}`)
	f.Add(`{"otelHeadersHelper":null}`)
	f.Fuzz(func(t *testing.T, in string) {
		out, err := MergeClaudeSettings([]byte(in), claude)
		if err != nil {
			return
		}
		m := decode(t, out)
		env, _ := m["env"].(map[string]any)
		if env["CLAUDE_CODE_USE_BEDROCK"] != "1" || m["otelHeadersHelper"] != claude.OtelHeadersHelper {
			t.Fatalf("merged settings lack ours: %s", out)
		}
		again, err := MergeClaudeSettings(out, claude)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent (%v)", err)
		}
	})
}
