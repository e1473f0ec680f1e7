package federation

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"ccwb.dev/client/internal/token"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
)

// tokens hands out the cached token first and fresh ones after Invalidate.
type tokens struct {
	asked, invalidated int
}

func (s *tokens) Token(context.Context) (token.Tokens, error) {
	s.asked++
	return token.Tokens{IDToken: "header.payload.sig", Cached: s.invalidated == 0}, nil
}

func (s *tokens) Invalidate(context.Context) error { s.invalidated++; return nil }

// fakeSTS answers AssumeRoleWithWebIdentity with the error codes in turn, then with credentials.
func fakeSTS(t *testing.T, codes ...string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := int(calls.Add(1))
		w.Header().Set("Content-Type", "text/xml")
		if n <= len(codes) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>`+codes[n-1]+`</Code><Message>no</Message></Error></ErrorResponse>`)
			return
		}
		_, _ = io.WriteString(w, `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
<AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>
<Expiration>2030-01-02T03:04:05Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// Only a token that came from the cache is worth another try: AWS's answer to a token just
// issued would not change.
func TestRetrieveRetriesOnlyACachedToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                  string
		codes                 []string
		ok                    bool
		asked, invalidated    int
		calls                 int32
		rejected, deniedError bool
	}{
		{"accepted", nil, true, 1, 0, 1, false, false},
		{"cached token rejected, fresh one accepted", []string{"ExpiredTokenException"}, true, 2, 1, 2, false, false},
		{"fresh token rejected too: no third try", []string{"ExpiredTokenException", "ExpiredTokenException"}, false, 2, 2, 2, true, false},
		{"role refused: no retry, the token is dropped", []string{"AccessDenied"}, false, 1, 1, 1, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, calls := fakeSTS(t, tc.codes...)
			src := &tokens{}
			p := &Provider{
				Profile: config.Profile{FederationType: federation.Direct, RoleARN: "arn:aws:iam::123456789012:role/R", Region: "us-east-1", SessionDurationSeconds: 3600},
				Tokens:  src, Endpoints: Endpoints{STS: srv.URL}, Stderr: io.Discard,
			}
			creds, err := p.Retrieve(context.Background())
			if tc.ok != (err == nil) || tc.ok && creds.AccessKeyID != "ASIA1" {
				t.Fatalf("Retrieve = %+v, %v", creds, err)
			}
			var rejected *TokenRejectedError
			var denied *AccessDeniedError
			if errors.As(err, &rejected) != tc.rejected || errors.As(err, &denied) != tc.deniedError {
				t.Errorf("error %v: rejected %v, denied %v", err, errors.As(err, &rejected), errors.As(err, &denied))
			}
			if src.asked != tc.asked || src.invalidated != tc.invalidated || calls.Load() != tc.calls {
				t.Errorf("tokens asked %d, invalidated %d, STS calls %d; want %d, %d, %d", src.asked, src.invalidated, calls.Load(), tc.asked, tc.invalidated, tc.calls)
			}
		})
	}
}
