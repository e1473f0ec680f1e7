package otelheaders

import (
	"strings"
	"testing"
)

// The rule for sending the token: every OTLP endpoint in the environment is the profile's
// collector (compared as scheme, host, port and path), over https or allowed plain http.
func TestDestinationCheck(t *testing.T) {
	const ours = "https://otel.example.com"
	base := map[string]string{EnvEndpoint: ours}
	with := func(kv ...string) map[string]string {
		env := map[string]string{EnvEndpoint: ours}
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	for _, tc := range []struct {
		name    string
		dest    Destination
		env     map[string]string
		wantErr string // "" when the headers may be sent
	}{
		{"the collector", Destination{Endpoint: ours}, base, ""},
		{"same URL spelled otherwise", Destination{Endpoint: ours}, with(EnvEndpoint, "HTTPS://OTEL.example.com:443/"), ""},
		{"configured with a trailing slash", Destination{Endpoint: ours + "/"}, base, ""},
		{"collector under a path", Destination{Endpoint: ours + "/otlp"}, with(EnvEndpoint, ours+"/otlp/"), ""},
		{"per-signal endpoints on the collector", Destination{Endpoint: ours}, with(
			"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", ours+"/v1/metrics", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", ours+"/v1/logs",
			"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ours+":443/v1/traces"), ""},
		{"per-signal endpoint is the base (gRPC)", Destination{Endpoint: ours}, with("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", ours), ""},
		{"per-signal endpoint under a path", Destination{Endpoint: ours + "/otlp"}, with(EnvEndpoint, ours+"/otlp", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", ours+"/otlp/v1/metrics"), ""},
		{"empty per-signal variable is unset", Destination{Endpoint: ours}, with("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", ""), ""},
		{"allowed plain http", Destination{Endpoint: "http://10.0.0.1:4318", AllowPlainHTTP: true}, with(EnvEndpoint, "http://10.0.0.1:4318"), ""},

		{"no collector in the profile", Destination{}, base, "no otel_endpoint"},
		{"base endpoint unset", Destination{Endpoint: ours}, map[string]string{}, "OTEL_EXPORTER_OTLP_ENDPOINT is not set, so telemetry would go to the OpenTelemetry default (localhost)"},
		{"base endpoint empty", Destination{Endpoint: ours}, with(EnvEndpoint, ""), "is not set"},
		{"base redirected", Destination{Endpoint: ours}, with(EnvEndpoint, "https://evil.example"), `OTEL_EXPORTER_OTLP_ENDPOINT is "https://evil.example", not the collector`},
		{"other port", Destination{Endpoint: ours}, with(EnvEndpoint, ours+":8443"), "not the collector"},
		{"other path", Destination{Endpoint: ours}, with(EnvEndpoint, ours+"/elsewhere"), "not the collector"},
		{"look-alike host", Destination{Endpoint: ours}, with(EnvEndpoint, "https://otel.example.com.evil.example"), "not the collector"},
		{"user info before our host", Destination{Endpoint: ours}, with(EnvEndpoint, "https://otel.example.com@evil.example"), "not the collector"},
		{"our host with a query", Destination{Endpoint: ours}, with(EnvEndpoint, ours+"/?to=evil"), "not the collector"},
		{"downgraded to http", Destination{Endpoint: ours}, with(EnvEndpoint, "http://otel.example.com"), "not the collector"},
		{"metrics redirected", Destination{Endpoint: ours}, with("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://evil.example/v1/metrics"), `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is "https://evil.example/v1/metrics"`},
		{"logs redirected", Destination{Endpoint: ours}, with("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://evil.example"), "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is"},
		{"traces redirected", Destination{Endpoint: ours}, with("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://localhost:4318/v1/traces"), "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is"},
		{"signal sent to another signal's path", Destination{Endpoint: ours}, with("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", ours+"/v1/logs"), "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is"},
		{"not a URL", Destination{Endpoint: ours}, with(EnvEndpoint, "otel.example.com"), "not the collector"},
		{"plain http not allowed", Destination{Endpoint: "http://10.0.0.1:4318"}, with(EnvEndpoint, "http://10.0.0.1:4318"), "plain http and the deployment did not allow it"},
		{"certificate checks off", Destination{Endpoint: ours}, with(EnvInsecureTLS, "0"), "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off"},
		{"unusable configured endpoint", Destination{Endpoint: "otel.example.com"}, base, "is not usable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.dest.Check(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Check = %v, want %q", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("reason is more than one line: %q", err)
			}
		})
	}
}

// Whatever the environment holds, Check accepts only endpoints that normalise to ours.
func FuzzDestinationCheck(f *testing.F) {
	f.Add("https://otel.example.com", "https://otel.example.com/v1/metrics")
	f.Add("HTTPS://otel.example.com:443/", "")
	f.Add("https://otel.example.com@evil", "https://evil/v1/metrics")
	f.Fuzz(func(t *testing.T, base, metrics string) {
		d := Destination{Endpoint: "https://otel.example.com"}
		env := map[string]string{EnvEndpoint: base, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": metrics}
		if d.Check(func(k string) (string, bool) { v, ok := env[k]; return v, ok }) != nil {
			return
		}
		for _, v := range []string{base, metrics} {
			if v == "" {
				continue
			}
			got, err := normalise(v)
			if err != nil || (got != "https://otel.example.com:443" && got != "https://otel.example.com:443/v1/metrics") {
				t.Fatalf("accepted %q (normalised %q, %v)", v, got, err)
			}
		}
	})
}

// BenchmarkDestinationCheck is the endpoint check on every otel-helper run, with all four
// endpoints set; compare it with BenchmarkProcessBaseline (cmd/otel-helper), the cost of
// starting the process at all.
func BenchmarkDestinationCheck(b *testing.B) {
	d := Destination{Endpoint: "https://otel.example.com"}
	env := map[string]string{EnvEndpoint: "https://otel.example.com"}
	for _, s := range SignalEndpoints {
		env[s.Env] = SignalURL(d.Endpoint, s.Path)
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for b.Loop() {
		if err := d.Check(lookup); err != nil {
			b.Fatal(err)
		}
	}
}
