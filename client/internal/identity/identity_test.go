package identity

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"ccwb.dev/contract/schema"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber() // as client/internal/claims decodes a token
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestHeadersFollowTheClaimList(t *testing.T) {
	for _, tc := range []struct {
		name   string
		claims string
		want   map[string]string // headers checked; "" means absent
	}{
		{"first claim wins", `{"sub":"00u1","email":"a@example.com","preferred_username":"other@example.com","name":"Ann Lee"}`,
			map[string]string{"x-user-email": "a@example.com", "x-user-name": "Ann Lee", "x-user-id": schema.StableID("00u1")}},
		{"fallback claim", `{"sub":"s","upn":"ann@corp.example","dept":"Research"}`,
			map[string]string{"x-user-email": "ann@corp.example", "x-department": "Research", "x-user-name": ""}},
		{"empty claim falls through", `{"sub":"s","email":"  ","preferred_username":"p@example.com"}`,
			map[string]string{"x-user-email": "p@example.com", "x-user-name": "p@example.com"}},
		{"defaults when missing", `{"sub":"s"}`,
			map[string]string{"x-organization": "default", "x-department": "unspecified", "x-team-id": "default", "x-cost-center": "default",
				"x-location": "unknown", "x-role": "unknown", "x-manager": "unknown", "x-user-email": "", "x-user-name": ""}},
		{"no subject, no user id", `{"email":"a@example.com"}`, map[string]string{"x-user-id": ""}},
		{"number claim", `{"sub":"s","cost_center":4711,"department":12.5}`,
			map[string]string{"x-cost-center": "4711", "x-department": "12.5"}},
		{"big integer keeps its digits", `{"sub":"s","costCenter":12345678901234567}`, map[string]string{"x-cost-center": "12345678901234567"}},
		{"boolean claim", `{"sub":"s","team":true}`, map[string]string{"x-team-id": "true"}},
		{"array claim", `{"sub":"s","group":["platform", "", "sre"]}`, map[string]string{"x-team-id": "platform,sre"}},
		{"empty array falls through", `{"sub":"s","team":[],"team_id":"t-9"}`, map[string]string{"x-team-id": "t-9"}},
		{"object claim by its email", `{"sub":"s","manager":{"displayName":"Bo","email":"bo@example.com"}}`, map[string]string{"x-manager": "bo@example.com"}},
		{"object claim without a known key", `{"sub":"s","location":{"floor":3}}`, map[string]string{"x-location": `{"floor":3}`}},
		{"null claim falls through", `{"sub":"s","organization":null,"org":"Acme"}`, map[string]string{"x-organization": "Acme"}},
		{"non-ASCII is percent-encoded", `{"sub":"s","name":"José Ñúñez"}`, map[string]string{"x-user-name": "Jos%C3%A9 %C3%91%C3%BA%C3%B1ez"}},
		{"control characters cannot split headers", `{"sub":"s","role":"dev\r\nX-Evil: 1"}`, map[string]string{"x-role": "dev%0D%0AX-Evil: 1"}},
		{"percent is escaped", `{"sub":"s","role":"100% dev"}`, map[string]string{"x-role": "100%25 dev"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Headers(decode(t, tc.claims))
			for h, want := range tc.want {
				if v, ok := got[h]; want == "" && ok {
					t.Errorf("%s = %q, want it absent", h, v)
				} else if want != "" && v != want {
					t.Errorf("%s = %q, want %q", h, v, want)
				}
			}
		})
	}
}

func TestWireValuesDecodeToTheClaim(t *testing.T) {
	for _, s := range []string{"José", "日本語チーム", "a,b;c=d", "100%", "plain@example.com"} {
		got, err := url.PathUnescape(wire(s))
		if err != nil || got != s {
			t.Errorf("wire(%q) = %q decodes to %q (%v)", s, wire(s), got, err)
		}
	}
	long := strings.Repeat("é", 200)
	if w := wire(long); len(w) > MaxValueBytes || strings.HasSuffix(w, "%") || strings.HasSuffix(w[:len(w)-1], "%") {
		t.Errorf("long value cut badly: %d bytes, ends %q", len(w), w[len(w)-3:])
	}
}

// Claude Code hands the headers to the OpenTelemetry SDK as OTEL_EXPORTER_OTLP_HEADERS,
// "k=v,k=v", each part URL-decoded once: the decoded value must be the wire value.
func TestJSONSurvivesOTLPHeadersEnv(t *testing.T) {
	headers := Headers(decode(t, `{"sub":"s","email":"a@example.com","role":"50%, lead; ops","name":"Zoë"}`))
	out := JSON(headers, "h.p.s")
	var got map[string]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("output is not a JSON object of strings: %v\n%s", err, out)
	}
	if got["Authorization"] != "Bearer h.p.s" {
		t.Errorf("Authorization = %q", got["Authorization"])
	}
	var env []string
	for k, v := range got {
		env = append(env, k+"="+v)
	}
	for _, part := range strings.Split(strings.Join(env, ","), ",") {
		k, v, _ := strings.Cut(part, "=")
		dec, err := url.QueryUnescape(strings.ReplaceAll(v, "+", "%2B"))
		if err != nil {
			t.Fatalf("%s: %q does not URL-decode: %v", k, v, err)
		}
		want := headers[k]
		if k == "Authorization" {
			want = "Bearer h.p.s"
		}
		if dec != want {
			t.Errorf("%s decodes to %q, want the wire value %q", k, dec, want)
		}
	}
	if string(JSON(nil, "")) != "{}\n" {
		t.Errorf("no headers, no token: %q, want {}", JSON(nil, ""))
	}
}

func FuzzHeaders(f *testing.F) {
	f.Add(`{"sub":"s","email":"a@example.com","group":["x",1,{"name":"y"}]}`, "a.b.c")
	f.Add(`{"name":"\u0000\uffff","manager":{"a":[null]}}`, "")
	f.Fuzz(func(t *testing.T, claimsJSON, token string) {
		d := json.NewDecoder(strings.NewReader(claimsJSON))
		d.UseNumber()
		var claims map[string]any
		if d.Decode(&claims) != nil {
			return
		}
		headers := Headers(claims)
		for k, v := range headers {
			if len(v) > MaxValueBytes {
				t.Errorf("%s: %d bytes", k, len(v))
			}
			for i := 0; i < len(v); i++ {
				if v[i] < 0x20 || v[i] >= 0x7f {
					t.Fatalf("%s = %q has a byte outside printable ASCII", k, v)
				}
			}
		}
		var out map[string]string
		if err := json.Unmarshal(JSON(headers, token), &out); err != nil {
			t.Fatalf("invalid JSON: %v", err)
		}
	})
}

func BenchmarkHeaders(b *testing.B) {
	claims := map[string]any{"sub": "00u1abcd", "email": "ann@example.com", "name": "Ann Lee", "department": "Research", "group": []any{"platform", "sre"}}
	for b.Loop() {
		_ = JSON(Headers(claims), "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.c2lnbmF0dXJl")
	}
}
