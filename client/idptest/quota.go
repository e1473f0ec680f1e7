package idptest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"

	"ccwb.dev/contract/quota"
)

// QuotaService is a stand-in for the quota check service behind API Gateway's JWT
// authorizer: it answers POST quota.CheckPath only for a bearer ID token of the provider
// that the authorizer would pass (signature against the issuer's JWKS, issuer, audience =
// the client ID, expiry; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html),
// 401 otherwise, with the verdict the test sets. The decisions themselves are the real
// service's (lambda/quota/check, tested on moto); this one serves the credential process.
type QuotaService struct {
	// URL is the route's URL (https, trusted through the provider's CAFile).
	URL string
	// Calls counts the checks that reached the service; Subjects the verified subjects.
	Calls    atomic.Int32
	mu       sync.Mutex
	verdict  quota.Verdict
	status   int
	subjects []string
}

// NewQuotaService starts the service for p's tokens; it answers "allowed" until Set.
func NewQuotaService(t testing.TB, p *Provider) *QuotaService {
	t.Helper()
	q := &QuotaService{verdict: quota.Verdict{Decision: quota.Allowed}, status: http.StatusOK}
	// One key set for the service's life: API Gateway caches the issuer's JWKS too.
	keys := oidc.NewRemoteKeySet(oidc.ClientContext(context.Background(), p.Client()), p.Issuer+"/keys")
	v := oidc.NewVerifier(p.Issuer, keys, &oidc.Config{ClientID: p.ClientID, SupportedSigningAlgs: []string{"RS256"}})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != quota.CheckPath {
			http.NotFound(w, r)
			return
		}
		q.Calls.Add(1)
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		idt, err := v.Verify(r.Context(), raw)
		if !ok || err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"Unauthorized"}`))
			return
		}
		q.mu.Lock()
		defer q.mu.Unlock()
		q.subjects = append(q.subjects, idt.Subject)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(q.status)
		if q.status == http.StatusOK {
			_ = json.NewEncoder(w).Encode(q.verdict)
		}
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	q.URL = srv.URL + quota.CheckPath
	return q
}

// Set makes the service answer v.
func (q *QuotaService) Set(v quota.Verdict) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.verdict, q.status = v, http.StatusOK
}

// Fail makes the service answer with an HTTP error status (a 5xx: the function failed).
func (q *QuotaService) Fail(status int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.status = status
}

// Subjects are the verified subjects of the checks answered so far.
func (q *QuotaService) Subjects() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]string(nil), q.subjects...)
}
