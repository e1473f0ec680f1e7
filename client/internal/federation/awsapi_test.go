package federation

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		err      error
		want     string
		rejected bool
	}{
		{&APIError{400, "InvalidIdentityToken", "Incorrect token audience"}, "AWS did not accept your identity token (InvalidIdentityToken: Incorrect token audience)", true},
		{&APIError{400, "ExpiredTokenException", "Token expired"}, "(ExpiredTokenException: Token expired)", true},
		{&APIError{400, "NotAuthorizedException", "Invalid login token"}, "(NotAuthorizedException: Invalid login token)", true},
		{&APIError{403, "AccessDenied", "Not authorized"}, "AWS denied access to R (AccessDenied: Not authorized)", false},
		{&APIError{400, "Throttling", "Rate exceeded"}, "op is throttling requests (Throttling after 5 attempts)", false},
		{&APIError{400, "ResourceNotFoundException", "gone"}, "op: R not found (gone)", false},
		{&APIError{503, "ServiceUnavailable", "down"}, "op failed (ServiceUnavailable: down): AWS may be having trouble", false},
		{errors.New("dial tcp: connection refused"), "op: cannot reach AWS (dial tcp: connection refused)", false},
	}
	for _, tt := range tests {
		got := explain("op", "R", tt.err)
		if !strings.Contains(got.Error(), tt.want) {
			t.Errorf("explain(%v) = %q, want containing %q", tt.err, got, tt.want)
		}
		var rej *TokenRejectedError
		if tt.rejected != errors.As(got, &rej) {
			t.Errorf("explain(%v): token rejected = %v, want %v", tt.err, !tt.rejected, tt.rejected)
		}
	}
}

func TestCallRetriesOnlyTransientErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		wantCalls int32
		wantCode  string
	}{
		{"throttling is retried", 400, `<ErrorResponse><Error><Code>Throttling</Code><Message>slow</Message></Error></ErrorResponse>`, MaxAttempts, "Throttling"},
		{"server error is retried", 500, `oops`, MaxAttempts, "Internal Server Error"},
		{"access denied is not retried", 403, `<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>`, 1, "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c := &awsClient{endpoint: stsEndpoint(srv.URL, "us-east-1"), http: srv.Client()}
			_, err := c.assumeRoleWithWebIdentity(context.Background(), "arn", "name", "tok", 3600)
			var api *APIError
			if !errors.As(err, &api) || api.Code != tt.wantCode {
				t.Fatalf("err = %v, want code %s", err, tt.wantCode)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

func TestAssumeRoleParsesCredentials(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.Form.Get("Action") != "AssumeRoleWithWebIdentity" || r.Form.Get("DurationSeconds") != "28800" || r.Header.Get("Authorization") != "" {
			w.WriteHeader(400)
			return
		}
		_, _ = w.Write([]byte(`<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
<AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>
<Expiration>2030-01-02T03:04:05Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`))
	}))
	defer srv.Close()
	c := &awsClient{endpoint: stsEndpoint(srv.URL, "us-east-1"), http: srv.Client()}
	out, err := c.assumeRoleWithWebIdentity(context.Background(), "arn", "name", "tok", 28800)
	if err != nil {
		t.Fatal(err)
	}
	if out.AccessKeyID != "ASIA1" || !out.Expiration.Equal(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("parsed %+v", out)
	}
}

func FuzzErrorBodies(f *testing.F) {
	f.Add(400, []byte(`<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>`))
	f.Add(400, []byte(`{"__type":"com.amazonaws#NotAuthorizedException","message":"x"}`))
	f.Add(500, []byte{})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, e := range []*APIError{stsError(status, nil, body), JSONError(status, nil, body)} {
			if e == nil || e.Status != status {
				t.Fatalf("bad error %+v", e)
			}
			_ = explain("op", "r", e).Error()
		}
	})
}
