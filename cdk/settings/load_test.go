package settings

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"ccwb.dev/contract/federation"
)

func TestLoadExample(t *testing.T) {
	path, err := ResolvePath(".", "settings/example.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(path)
	if err != nil {
		t.Fatalf("the committed example must load: %v", err)
	}
	typ, issuer, _ := d.Provider()
	if typ != "okta" || issuer != "https://dev-12345678.okta.com" || d.Federation.Type != federation.Direct ||
		!d.Monitoring.Enabled || !d.Analytics.Enabled {
		t.Errorf("example is not an Okta tenant with direct federation, monitoring and analytics: %s %s %+v", typ, issuer, d)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, body, want string
	}{
		{"unknown field", `{"name":"x","regoin":"us-east-1"}`, `json: unknown field "regoin"; fix the JSON`},
		{"not json", `name: x`, `parse settings: invalid character 'a' in literal null`},
		{"wrong type", `{"name": 3}`, `cannot unmarshal number into Go struct field Deployment.name of type string`},
		{"trailing", `{} {}`, `trailing data after the JSON object`},
		{"a stray closing brace", `{"name":"x"}}`, `trailing data after the JSON object; the file must hold one object`},
		{"invalid", `{"name":"x"}`, "invalid deployment settings:\n  region: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			if err := os.WriteFile(p, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), p+": ") {
				t.Errorf("Load = %v, want %s: ...%q...", err, p, tt.want)
			}
		})
	}
	_, err := Load(filepath.Join(dir, "missing.json"))
	if err == nil || !strings.Contains(err.Error(), "missing.json does not exist; create it with `ccwb init`, or select another file with -c ccwb:settings=<file>") {
		t.Errorf("Load(missing) = %v", err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	d := &Deployment{
		Name:             "team-a",
		Region:           "eu-central-1",
		IdentityProvider: IdentityProvider{Domain: "my-tenant.eu.auth0.com", ClientID: "abcDEF123"},
		Federation:       Federation{Type: "cognito", SessionDuration: "4h"},
	}
	path := filepath.Join(t.TempDir(), "sub", "team-a.json")
	if err := Write(path, d); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "callback_port") {
		t.Errorf("Write stored defaults the user left out:\n%s", raw)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := *d
	want.ApplyDefaults()
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", *got, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("Write left temporary files: %v", entries)
	}

	d.Federation.SessionDuration = "10h"
	err = Write(path, d)
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "use 1h to 8h") {
		t.Errorf("Write(invalid) = %v, want the validation error", err)
	}
	if again, _ := Load(path); again == nil || again.Federation.SessionDuration != "4h" {
		t.Errorf("a refused Write changed the file")
	}
}

func TestResolvePath(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "cdk.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ResolvePath(deep, "settings/x.json")
	if err != nil || got != filepath.Join(root, "settings/x.json") {
		t.Errorf("ResolvePath = %q, %v", got, err)
	}
	if got, _ := ResolvePath(deep, "/abs/x.json"); got != "/abs/x.json" {
		t.Errorf("absolute path changed: %q", got)
	}
	if _, err := ResolvePath(deep, ""); err == nil || !strings.Contains(err.Error(), "set the CDK context ccwb:settings") {
		t.Errorf("ResolvePath(\"\") = %v", err)
	}
}

// FuzzParse: arbitrary bytes never panic, and whatever Parse accepts is valid and
// survives a Marshal/Parse round trip unchanged (empty and missing lists are the same).
func FuzzParse(f *testing.F) {
	if ex, err := os.ReadFile("../../settings/example.json"); err == nil {
		f.Add(ex)
	}
	f.Add([]byte(`{"name":"x","region":"us-east-1","identity_provider":{"domain":"eu-west-1_Ab1","client_id":"c"},"federation":{"type":"cognito"}}`))
	f.Add([]byte(`{"tags":{"":""},"bedrock":{"regions":[""]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("Parse accepted invalid settings: %v", err)
		}
		out, err := d.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse refused what Marshal wrote: %v\n%s", err, out)
		}
		if out2, _ := again.Marshal(); string(out2) != string(out) {
			t.Fatalf("round trip changed the settings:\n%s\n%s", out, out2)
		}
	})
}
