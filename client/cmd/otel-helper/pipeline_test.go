package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/client/internal/collectortest"
	"ccwb.dev/contract/collector"
	"ccwb.dev/contract/schema"
)

var (
	collectorOnce sync.Once
	collectorBin  collectortest.Built
	collectorErr  error
)

// collectorBinary builds (once per manifest, cached under .cache/otelcol) the collector with
// the deployed config's components; the test config swaps awsemf for the file exporter.
func collectorBinary(t testing.TB) string {
	t.Helper()
	collectorOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		collectorBin, collectorErr = collectortest.Build(ctx, os.Stderr)
	})
	if collectorErr != nil {
		t.Fatalf("build the collector: %v", collectorErr)
	}
	if collectorBin.BuildTime > 0 {
		t.Logf("collector %s built in %s (cached for the next runs)", collectortest.Version, collectorBin.BuildTime.Round(time.Second))
	}
	return collectorBin.Path
}

// startCollector runs the generated config for u's identity provider with the file exporter;
// it accepts tokens of the profile's telemetry audience (naming the user by uid, as for Okta),
// or else of its client ID.
func startCollector(t testing.TB, u *user) (*collectortest.Collector, string) {
	t.Helper()
	audience, claim := u.idp.ClientID, ""
	if u.telemetry { // as for Okta: the user is the access token's uid
		audience, claim = telemetryAudience, "uid"
	}
	out := filepath.Join(t.TempDir(), "metrics.jsonl")
	col := collectortest.Start(t, collectorBinary(t), func(httpPort, grpcPort, healthPort int) (string, error) {
		return collector.YAML(collector.Options{
			Issuer: u.idp.Issuer, Audience: audience, SubjectClaim: claim, IssuerCAPath: u.idp.CAFile,
			Exporter: collector.File, FilePath: out, BatchTimeout: "100ms",
			Host: "127.0.0.1", HTTPPort: httpPort, GRPCPort: grpcPort, HealthPort: healthPort,
		})
	})
	return col, out
}

// sdkHeaders is what the OpenTelemetry SDK in Claude Code sends for the helper's output: it
// reads the headers from OTEL_EXPORTER_OTLP_HEADERS and URL-decodes each value once.
func sdkHeaders(t testing.TB, helper map[string]string) http.Header {
	t.Helper()
	h := http.Header{}
	for k, v := range helper {
		dec, err := url.PathUnescape(v)
		if err != nil {
			t.Fatalf("%s = %q does not URL-decode: %v", k, v, err)
		}
		h.Set(k, dec)
	}
	return h
}

// metricsBody is an OTLP/JSON request with points data points of claude_code.token.usage, in
// which the client also claims an identity of its own (resource and data point attributes).
func metricsBody(points int) []byte {
	var dps []string
	now := time.Now().UnixNano()
	for i := range points {
		dps = append(dps, fmt.Sprintf(`{"asDouble":%d,"startTimeUnixNano":"%d","timeUnixNano":"%d","attributes":[
			{"key":"model","value":{"stringValue":"us.anthropic.claude-sonnet-4-5-20250929-v1:0"}},
			{"key":"type","value":{"stringValue":"input"}},
			{"key":"session.id","value":{"stringValue":"session-%d"}},
			{"key":"user.id","value":{"stringValue":"forged-id"}},
			{"key":"user.email","value":{"stringValue":"forged@evil.example"}},
			{"key":"department","value":{"stringValue":"forged"}}]}`, 100+i, now-int64(time.Second), now, i))
	}
	return []byte(`{"resourceMetrics":[{"resource":{"attributes":[
		{"key":"service.name","value":{"stringValue":"claude-code"}},
		{"key":"user.email","value":{"stringValue":"forged@evil.example"}}]},
		"scopeMetrics":[{"scope":{"name":"com.anthropic.claude_code"},"metrics":[{"name":"claude_code.token.usage","unit":"tokens",
		"sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[` + strings.Join(dps, ",") + `]}}]}]}]}`)
}

func post(t testing.TB, client *http.Client, port int, h http.Header, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("http://127.0.0.1:%d/v1/metrics", port), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h.Clone()
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("post metrics: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// exported reads the file exporter's output: each data point's attributes, and the resource
// attributes, of every claude_code.token.usage point written so far.
type point struct{ resource, attrs map[string]string }

func exported(t testing.TB, path string) []point {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type kv struct {
		Key   string
		Value struct{ StringValue string }
	}
	flat := func(kvs []kv) map[string]string {
		m := map[string]string{}
		for _, a := range kvs {
			m[a.Key] = a.Value.StringValue
		}
		return m
	}
	var out []point
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var req struct {
			ResourceMetrics []struct {
				Resource     struct{ Attributes []kv }
				ScopeMetrics []struct {
					Metrics []struct {
						Name string
						Sum  struct{ DataPoints []struct{ Attributes []kv } }
					}
				}
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			t.Fatalf("file exporter line is not OTLP JSON: %v", err)
		}
		for _, rm := range req.ResourceMetrics {
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					if m.Name != "claude_code.token.usage" {
						continue
					}
					for _, dp := range m.Sum.DataPoints {
						out = append(out, point{flat(rm.Resource.Attributes), flat(dp.Attributes)})
					}
				}
			}
		}
	}
	return out
}

func TestPipelineAcceptsTheHelpersHeadersAndRefusesTheRest(t *testing.T) {
	t.Parallel()
	who := idptest.DefaultUser
	who.Claims = map[string]any{"department": "engineering", "team": "platform", "cost_center": 4711, "organization": "Acme, Inc."}
	u := newUser(t, who, idptest.Options{})
	helper, col, out, client, headers := signedInPipeline(t, u)

	points := postExported(t, client, col, out, headers, 2, 2)
	want := map[string]string{
		"user.email": who.Email, "user.name": who.Name, "user.id": schema.StableID(who.Subject),
		"department": "engineering", "team.id": "platform", "cost_center": "4711", "organization": "Acme, Inc.",
		"location": "unknown", "role": "unknown", "manager": "unknown",
		"model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "type": "input",
	}
	for _, p := range points {
		for k, v := range want {
			if p.attrs[k] != v {
				t.Errorf("exported %s = %q, want %q", k, p.attrs[k], v)
			}
		}
		for _, a := range schema.IdentityAttributes() {
			if v, ok := p.resource[a.Name]; ok {
				t.Errorf("resource keeps the client's %s = %q", a.Name, v)
			}
		}
	}

	// Every request without a valid token of this IdP and client is refused.
	tok := strings.TrimPrefix(helper["Authorization"], "Bearer ")
	other := newUser(t, idptest.User{Subject: "intruder", Username: "i", Password: "p", Email: "i@example.com", Name: "I"}, idptest.Options{})
	otherHelper, _ := other.helper()
	for name, auth := range map[string]string{
		"no token":               "",
		"not a token":            "Bearer not-a-jwt",
		"tampered subject":       "Bearer " + tamper(t, tok),
		"another IdP's token":    otherHelper["Authorization"],
		"token in a basic realm": "Basic " + base64.StdEncoding.EncodeToString([]byte("u:"+tok)),
	} {
		h := headers.Clone()
		h.Del("Authorization")
		if auth != "" {
			h.Set("Authorization", auth)
		}
		if code, body := post(t, client, col.HTTPPort, h, metricsBody(1)); code != http.StatusUnauthorized {
			t.Errorf("%s: status %d (%s), want 401", name, code, body)
		}
	}
	// OTLP/gRPC authenticates the same way: an empty Export request (a valid protobuf
	// message) over cleartext HTTP/2 answers grpc-status 0 with the token, 16
	// (Unauthenticated) without one or with a tampered one.
	for name, tc := range map[string]struct {
		auth   string
		status string
	}{
		"gRPC with the token": {helper["Authorization"], "0"},
		"gRPC without token":  {"", "16"},
		"gRPC tampered token": {"Bearer " + tamper(t, tok), "16"},
	} {
		if got := grpcExport(t, col.GRPCPort, tc.auth); got != tc.status {
			t.Errorf("%s: grpc-status %q, want %s", name, got, tc.status)
		}
	}
	// One more accepted point: once it is written, anything the collector accepted before it
	// is written too, so 3 means none of the refused requests got through.
	postExported(t, client, col, out, headers, 1, 3)
}

// signedInPipeline runs the helper for u, which must give a token, and a collector for u's
// provider; it returns the helper's output and what the SDK would send from it.
func signedInPipeline(t *testing.T, u *user) (map[string]string, *collectortest.Collector, string, *http.Client, http.Header) {
	t.Helper()
	helper, stderr := u.helper()
	if helper["Authorization"] == "" {
		t.Fatalf("otel-helper gave no token: %s", stderr)
	}
	col, out := startCollector(t, u)
	return helper, col, out, &http.Client{Timeout: 10 * time.Second}, sdkHeaders(t, helper)
}

// postExported posts n data points with the headers, which the collector must accept, waits
// until the file exporter has written total points, and returns them.
func postExported(t *testing.T, client *http.Client, col *collectortest.Collector, out string, h http.Header, n, total int) []point {
	t.Helper()
	if code, body := post(t, client, col.HTTPPort, h, metricsBody(n)); code != http.StatusOK {
		log, _ := os.ReadFile(col.Log)
		t.Fatalf("authenticated request: %d %s\ncollector log:\n%s", code, body, log)
	}
	var points []point
	for deadline := time.Now().Add(20 * time.Second); len(points) < total && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		points = exported(t, out)
	}
	if len(points) != total {
		log, _ := os.ReadFile(col.Log)
		t.Fatalf("%d data points exported, want %d\ncollector log:\n%s", len(points), total, log)
	}
	return points
}

// With a telemetry audience the collector accepts the telemetry token the helper sends and
// refuses the ID token, which is the one token STS would turn into Bedrock credentials.
func TestPipelineWithATelemetryAudience(t *testing.T) {
	t.Parallel()
	u := telemetryUser(t)
	_, col, out, client, headers := signedInPipeline(t, u)
	points := postExported(t, client, col, out, headers, 1, 1)
	cached, _ := u.session().Tokens()
	withID := headers.Clone()
	withID.Set("Authorization", "Bearer "+cached.IDToken)
	if code, body := post(t, client, col.HTTPPort, withID, metricsBody(1)); code != http.StatusUnauthorized {
		t.Errorf("ID token: status %d (%s), want 401", code, body)
	}
	if points[0].attrs["user.id"] != schema.StableID(idptest.DefaultUser.Subject) || points[0].attrs["user.email"] != idptest.DefaultUser.Email {
		t.Fatalf("exported %+v, want the point of the signed-in user", points)
	}
}

// grpcExport sends an empty ExportMetricsServiceRequest to the collector's OTLP/gRPC port
// over cleartext HTTP/2 and returns the grpc-status.
func grpcExport(t testing.TB, port int, auth string) string {
	t.Helper()
	var protocols http.Protocols
	protocols.SetUnencryptedHTTP2(true)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Protocols: &protocols}}
	req, err := http.NewRequest(http.MethodPost,
		fmt.Sprintf("http://127.0.0.1:%d/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", port),
		bytes.NewReader([]byte{0, 0, 0, 0, 0})) // uncompressed, zero-length message
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/grpc")
	req.Header.Set("TE", "trailers")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("gRPC export: %v", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if s := resp.Trailer.Get("Grpc-Status"); s != "" {
		return s
	}
	return resp.Header.Get("Grpc-Status") // trailers-only response
}

// tamper rewrites the token's subject and keeps the signature.
func tamper(t testing.TB, tok string) string {
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	c["sub"] = "someone-else"
	b, _ := json.Marshal(c)
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

const benchPoints = 100

// BenchmarkPipelineAccepted posts authenticated requests of benchPoints data points to the
// collector over loopback, one at a time; compare with BenchmarkPipelineBaseline.
func BenchmarkPipelineAccepted(b *testing.B) {
	u := benchUser(b)
	helper, _ := u.helper()
	col, _ := startCollector(b, u)
	benchPost(b, col.HTTPPort, sdkHeaders(b, helper))
}

// BenchmarkPipelineBaseline posts the same requests to a Go HTTP server that reads the body
// and answers 200: the cost of the loopback HTTP round trip itself.
func BenchmarkPipelineBaseline(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	var port int
	fmt.Sscanf(u.Port(), "%d", &port)
	benchPost(b, port, http.Header{})
}

func benchPost(b *testing.B, port int, h http.Header) {
	body := metricsBody(benchPoints)
	client := &http.Client{Timeout: 10 * time.Second}
	b.ResetTimer()
	for b.Loop() {
		if code, resp := post(b, client, port, h, body); code != http.StatusOK {
			b.Fatalf("status %d: %s", code, resp)
		}
	}
	b.ReportMetric(float64(b.N*benchPoints)/b.Elapsed().Seconds(), "datapoints/s")
}
