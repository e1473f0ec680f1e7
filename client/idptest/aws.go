package idptest

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// cognitoIssuer is the issuer of the OpenID tokens Cognito Identity hands out.
const cognitoIssuer = "https://cognito-identity.amazonaws.com"

// AWSOptions configure the fake STS + Cognito Identity endpoint.
type AWSOptions struct {
	// Provider is whose ID tokens are trusted (the IAM OIDC provider / pool login); nil
	// trusts none (an Identity Center stand-in issues the sessions instead: Issue).
	Provider       *Provider
	RoleARN        string // the only role that may be assumed; default arn:aws:iam::123456789012:role/BedrockUsers
	IdentityPoolID string // default us-east-1:00000000-0000-0000-0000-000000000000
	// Audiences are the client IDs the IAM OIDC provider trusts; default the provider's client.
	Audiences []string
	// AnySessionName accepts any RoleSessionName for the provider's own tokens. By default
	// the fake applies ccwb's direct-federation trust policy (federation.attribution
	// "subject"): sts:RoleSessionName must equal the token's sub, or AccessDenied.
	AnySessionName bool
	// Now is the fake's clock, for token expiry and the credentials it issues; default
	// time.Now. A test moves it forward instead of waiting.
	Now func() time.Time
}

// Fault is an injected failure: the next Times calls of Action answer with it.
type Fault struct {
	Action  string // e.g. AssumeRoleWithWebIdentity, GetId, GetOpenIdToken
	Code    string // AWS error code, e.g. Throttling, AccessDenied, InternalFailure
	Status  int    // HTTP status; default 400
	Message string
	Times   int // default 1
}

// Session is a set of credentials the fake STS issued.
type Session struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	RoleSessionName, Subject                   string
	DurationSeconds                            int
	Expiration                                 time.Time
	// AssumedRoleARN is the session's arn:aws:sts::<account>:assumed-role/<role>/<name>:
	// the configured role for AssumeRoleWithWebIdentity's, the one named for Issue's.
	AssumedRoleARN string
}

// AWS is a running fake of STS (query protocol, XML) and Cognito Identity (JSON 1.1) on
// plain HTTP at URL: point AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_COGNITO_IDENTITY (or
// AWS_ENDPOINT_URL) at it.
type AWS struct {
	URL  string
	opts AWSOptions

	cognitoKey *rsa.PrivateKey
	mu         sync.Mutex
	calls      map[string]int
	faults     []Fault
	sessions   map[string]Session // by access key ID
	identities map[string]string  // subject -> identity ID
}

// NewAWS starts the fake endpoint; it stops when the test ends.
func NewAWS(t testing.TB, o AWSOptions) *AWS {
	t.Helper()
	if o.RoleARN == "" {
		o.RoleARN = "arn:aws:iam::123456789012:role/BedrockUsers"
	}
	if o.IdentityPoolID == "" {
		o.IdentityPoolID = "us-east-1:00000000-0000-0000-0000-000000000000"
	}
	if len(o.Audiences) == 0 && o.Provider != nil {
		o.Audiences = []string{o.Provider.ClientID}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	a := &AWS{opts: o, cognitoKey: key, calls: map[string]int{}, sessions: map[string]Session{}, identities: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

// Calls returns how many times an action was called (faulted calls included).
func (a *AWS) Calls(action string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls[action]
}

// Inject queues a fault.
func (a *AWS) Inject(f Fault) {
	if f.Status == 0 {
		f.Status = http.StatusBadRequest
	}
	if f.Times == 0 {
		f.Times = 1
	}
	if f.Message == "" {
		f.Message = "injected " + f.Code
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults = append(a.faults, f)
}

// Session returns the session an access key belongs to.
func (a *AWS) Session(accessKeyID string) (Session, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[accessKeyID]
	return s, ok
}

// awsError is an error in the shape of the service's wire format.
type awsError struct {
	status        int
	code, message string
}

func (e *awsError) Error() string { return e.code + ": " + e.message }

func fail(status int, code, format string, args ...any) *awsError {
	return &awsError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func (a *AWS) fault(action string) *awsError {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls[action]++
	for i := range a.faults {
		f := &a.faults[i]
		if f.Action == action && f.Times > 0 {
			f.Times--
			return fail(f.Status, f.Code, "%s", f.Message)
		}
	}
	return nil
}

// Issue registers a session of the role roleName in account, named sessionName, as another
// AWS service issues one (the Identity Center portal's GetRoleCredentials): GetCallerIdentity
// then answers with its assumed-role ARN.
func (a *AWS) Issue(account, roleName, sessionName string, d time.Duration) Session {
	return a.issue(Session{RoleSessionName: sessionName, DurationSeconds: int(d.Seconds()),
		AssumedRoleARN: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, roleName, sessionName)})
}

// issue gives s new credentials that expire DurationSeconds from now, and records them.
func (a *AWS) issue(s Session) Session {
	s.AccessKeyID = "ASIA" + strings.ToUpper(randomID()[:16])
	s.SecretAccessKey = randomID() + randomID()[:8]
	s.SessionToken = "IQoJ" + randomID() + randomID()
	s.Expiration = a.opts.Now().Add(time.Duration(s.DurationSeconds) * time.Second).UTC().Truncate(time.Second)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sessions[s.AccessKeyID] = s
	return s
}

func (a *AWS) serve(w http.ResponseWriter, r *http.Request) {
	if a.opts.Provider == nil && (r.Header.Get("X-Amz-Target") != "" || r.FormValue("Action") == "AssumeRoleWithWebIdentity") {
		writeSTSError(w, fail(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account"))
		return
	}
	if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, "AWSCognitoIdentityService.") {
		a.serveCognito(w, r, strings.TrimPrefix(target, "AWSCognitoIdentityService."))
		return
	}
	a.serveSTS(w, r)
}
