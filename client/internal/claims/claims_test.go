package claims

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func jwt(payload string) string {
	return "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw, wantErr string
		email              string
		exp                int64
	}{
		{name: "email and exp", raw: jwt(`{"email":"a@b.c","exp":1700000000}`), email: "a@b.c", exp: 1700000000},
		{name: "no email", raw: jwt(`{"sub":"x"}`)},
		{name: "two parts", raw: "a.b", wantErr: "not a JWT"},
		{name: "bad base64", raw: "a.!!!.c", wantErr: "not base64url"},
		{name: "array payload", raw: jwt(`[1]`), wantErr: "not a JSON object"},
		{name: "null payload", raw: jwt(`null`), wantErr: "null"},
		{name: "exp as string", raw: jwt(`{"exp":"soon"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.String("email") != tt.email {
				t.Errorf("email = %q", c.String("email"))
			}
			var want time.Time
			if tt.exp != 0 {
				want = time.Unix(tt.exp, 0)
			}
			if !c.Time("exp").Equal(want) {
				t.Errorf("exp = %v, want %v", c.Time("exp"), want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(jwt(`{"email":"a@b.c","exp":1700000000}`))
	f.Add("..")
	f.Add(jwt(`{"exp":1e400}`))
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := Parse(raw)
		if err == nil && c == nil {
			t.Fatal("nil claims without error")
		}
		if err == nil {
			_ = c.Time("exp")
			_ = c.String("email")
		}
	})
}

func TestCheckTelemetryToken(t *testing.T) {
	enc := jwt
	for _, tc := range []struct {
		name, token, wantErr string
	}{
		{"telemetry audience", enc(`{"aud":"api://telemetry"}`), ""},
		{"among others", enc(`{"aud":["api://telemetry","https://tenant/userinfo"]}`), ""},
		{"the client's audience", enc(`{"aud":"client-1"}`), "includes the client ID client-1"},
		{"both audiences", enc(`{"aud":["api://telemetry","client-1"]}`), "includes the client ID client-1, so STS would accept it"},
		{"no audience", enc(`{"sub":"x"}`), "not the telemetry audience"},
		{"malformed audience", enc(`{"aud":["api://telemetry",7]}`), "not the telemetry audience"},
		{"opaque token", "2YotnFZFEjr1zCsicMWpAA", "not a JWT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckTelemetryToken(tc.token, "api://telemetry", "client-1")
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
