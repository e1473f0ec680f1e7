package stackoutputs

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/project"
)

func root(t *testing.T) string {
	t.Helper()
	dir, err := project.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func example(t *testing.T) *settings.Deployment {
	t.Helper()
	d, err := settings.Load(filepath.Join(root(t), "settings", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The committed example settings and example outputs give exactly the config the packager
// tests package (client/packager/testdata/example-config.json).
func TestExampleConfigMatchesThePackagerFixture(t *testing.T) {
	o, err := Read("testdata/example-outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ConfigFile(example(t), o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	fixture := filepath.Join(root(t), "client", "packager", "testdata", "example-config.json")
	want, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("config from the example:\n%s\ndiffers from %s:\n%s", got, fixture, want)
	}
}

func TestProfileErrors(t *testing.T) {
	good, err := Read("testdata/example-outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	clone := func(edit func(Outputs)) Outputs {
		o := Outputs{}
		for s, kv := range good {
			o[s] = map[string]string{}
			for k, v := range kv {
				o[s][k] = v
			}
		}
		edit(o)
		return o
	}
	for name, c := range map[string]struct {
		o    Outputs
		want string
	}{
		"no auth stack":     {clone(func(o Outputs) { delete(o, "ccwb-auth") }), "no ccwb-auth stack (found: ccwb-analytics, ccwb-distribution, ccwb-monitoring, ccwb-quota, ccwb-quota-us-east-2, ccwb-quota-us-west-2)"},
		"no quota stack":    {clone(func(o Outputs) { delete(o, "ccwb-quota") }), "quota is enabled but the stack outputs have no ccwb-quota stack"},
		"no quota URL":      {clone(func(o Outputs) { o["ccwb-quota"] = map[string]string{} }), "lacks the output QuotaCheckUrl"},
		"missing outputs":   {clone(func(o Outputs) { delete(o["ccwb-auth"], "RoleArn"); delete(o["ccwb-auth"], "ClientId") }), "lacks the outputs ClientId, RoleArn"},
		"bad duration":      {clone(func(o Outputs) { o["ccwb-auth"]["SessionDurationSeconds"] = "8h" }), "is not a number of seconds"},
		"no monitoring":     {clone(func(o Outputs) { delete(o, "ccwb-monitoring") }), "monitoring is enabled but"},
		"no endpoint":       {clone(func(o Outputs) { o["ccwb-monitoring"] = map[string]string{} }), "lacks the output OtelCollectorEndpoint"},
		"cognito sans pool": {clone(func(o Outputs) { o["ccwb-auth"]["FederationType"] = "cognito" }), "IdentityPoolId"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ConfigFile(example(t), c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// What the otel-helper needs to decide where its token may go comes from the settings: plain
// http only for an http endpoint of a deployment that allowed it, and the telemetry audience.
func TestTelemetryFieldsOfTheProfile(t *testing.T) {
	o, err := Read("testdata/example-outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		endpoint  string
		allowHTTP bool
		wantAllow bool
	}{
		{"https endpoint", "https://otel.claude.example.com", true, false},
		{"http endpoint of a test deployment", "http://ccwb-alb-1.us-east-1.elb.amazonaws.com", true, true},
		{"http endpoint, not allowed", "http://ccwb-alb-1.us-east-1.elb.amazonaws.com", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := example(t)
			d.Monitoring.AllowPlainHTTP = tc.allowHTTP
			d.IdentityProvider.TelemetryAudience, d.IdentityProvider.TelemetryScope = "api://ccwb-telemetry", "telemetry"
			o["ccwb-monitoring"]["OtelCollectorEndpoint"] = tc.endpoint
			p, err := Profile(d, o)
			if err != nil {
				t.Fatal(err)
			}
			if p.OTelAllowPlainHTTP != tc.wantAllow || p.TelemetryAudience != "api://ccwb-telemetry" || p.TelemetryScope != "telemetry" {
				t.Errorf("profile %+v", p)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	if _, err := Read(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "ccwb deploy") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Parse([]byte(`{"s": {"k": 1}}`)); err == nil || !strings.Contains(err.Error(), "outputs-file") {
		t.Errorf("wrong shape: %v", err)
	}
}

// Before the first deploy there is no outputs file: status and doctor say so, and a deploy
// starts one; a file that is there but broken is an error all the same.
func TestReadIfExists(t *testing.T) {
	dir := t.TempDir()
	if o, err := ReadIfExists(filepath.Join(dir, "none.json")); o != nil || err != nil {
		t.Errorf("missing file: %v, %v; want nil, nil", o, err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"s": `), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadIfExists(broken); err == nil || !strings.Contains(err.Error(), broken) {
		t.Errorf("broken file: %v, want an error naming it", err)
	}
	if o, err := ReadIfExists("testdata/example-outputs.json"); err != nil || o["ccwb-auth"] == nil {
		t.Errorf("example: %v, %v", o, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"a-auth": {"IssuerUrl": "https://x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Parse(data)
		if err != nil {
			return
		}
		_, _ = Profile(&settings.Deployment{Name: "a"}, o)
	})
}
