package smoke

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakePackage is a package whose credential-process is a script that checks it runs
// beside config.json with the profile asked for, and prints credentials.
func fakePackage(t *testing.T, output string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake credential-process is a shell script")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin", Platform(runtime.GOOS, runtime.GOARCH))
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`#!/bin/sh
[ "$1 $2" = "--profile ClaudeCode" ] || { echo "bad args: $*" >&2; exit 2; }
[ -f "$(dirname "$0")/config.json" ] || { echo "no config.json beside me" >&2; exit 2; }
cat <<'JSON'
%s
JSON
`, output)
	if err := os.WriteFile(filepath.Join(bin, "credential-process"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const goodCreds = `{"Version": 1, "AccessKeyId": "ASIAFAKE", "SecretAccessKey": "s", "SessionToken": "tok", "Expiration": "2030-01-01T00:00:00Z"}`

// fakeBedrock serves ListFoundationModels and InvokeModel, insisting on SigV4 signatures
// made with the package's credentials.
func fakeBedrock(t *testing.T, invoked *string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Authorization"), "Credential=ASIAFAKE/") || r.Header.Get("X-Amz-Security-Token") != "tok" {
			w.WriteHeader(403)
			fmt.Fprint(w, `{"message": "The security token included in the request is invalid."}`)
			return
		}
		switch {
		case r.Method == "GET" && r.URL.Path == "/foundation-models":
			if r.URL.Query().Get("byProvider") != "anthropic" {
				http.Error(w, "want byProvider", 400)
				return
			}
			fmt.Fprint(w, `{"modelSummaries": [{"modelId": "anthropic.claude-sonnet-4-5-20250929-v1:0", "providerName": "Anthropic"}, {"modelId": "anthropic.claude-haiku-4-5-20251001-v1:0"}]}`)
		case r.Method == "POST" && strings.HasPrefix(r.URL.Path, "/model/"):
			body, _ := io.ReadAll(r.Body)
			var req map[string]any
			if json.Unmarshal(body, &req) != nil || req["max_tokens"] != float64(16) {
				http.Error(w, "bad body", 400)
				return
			}
			*invoked = r.URL.Path
			fmt.Fprint(w, `{"content": [{"type": "text", "text": "ready"}], "usage": {"input_tokens": 14, "output_tokens": 2}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRunPasses(t *testing.T) {
	var invoked string
	url := fakeBedrock(t, &invoked)
	r, err := Run(context.Background(), Options{
		PackageDir: fakePackage(t, goodCreds), Profile: "ClaudeCode", Region: "us-east-1",
		Invoke: true, Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
		BedrockEndpoint: url, RuntimeEndpoint: url,
	})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	r.WriteText(&text)
	if !r.OK() || len(r.Steps) != 3 {
		t.Fatalf("report:\n%s", text.String())
	}
	for _, want := range []string{"PASS  credentials", "access key ASIAFAKE", "2 Anthropic models in us-east-1, including anthropic.claude-sonnet-4-5", `"ready" (14 input, 2 output tokens)`} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
	if invoked != "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke" {
		t.Errorf("invoked %q", invoked)
	}
}

func TestRunReportsTheFailingStep(t *testing.T) {
	var invoked string
	url := fakeBedrock(t, &invoked)
	for name, c := range map[string]struct {
		creds, model string
		want         string
		steps        int
	}{
		"no credentials":      {`not json`, "", "printed no credential_process JSON", 1},
		"rejected by bedrock": {strings.Replace(goodCreds, "tok", "other", 1), "", "ListFoundationModels in us-east-1", 2},
		"unknown model":       {goodCreds, "us.anthropic.claude-nope", "the configured model us.anthropic.claude-nope (base anthropic.claude-nope) is not among them", 2},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := Run(context.Background(), Options{PackageDir: fakePackage(t, c.creds), Profile: "ClaudeCode", Region: "us-east-1", Model: c.model, Invoke: true, BedrockEndpoint: url, RuntimeEndpoint: url})
			if err != nil {
				t.Fatal(err)
			}
			last := r.Steps[len(r.Steps)-1]
			if r.OK() || len(r.Steps) != c.steps || last.OK || !strings.Contains(last.Detail, c.want) {
				t.Fatalf("steps %+v, want %d ending in a failure containing %q", r.Steps, c.steps, c.want)
			}
		})
	}
}
