package idptest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// cognitoIssuer is the issuer of the OpenID tokens Cognito Identity hands out.
const cognitoIssuer = "https://cognito-identity.amazonaws.com"

// AWSOptions configure the fake STS + Cognito Identity endpoint.
type AWSOptions struct {
	Provider       *Provider // whose ID tokens are trusted (the IAM OIDC provider / pool login)
	RoleARN        string    // the only role that may be assumed; default arn:aws:iam::123456789012:role/BedrockUsers
	IdentityPoolID string    // default us-east-1:00000000-0000-0000-0000-000000000000
	// Audiences are the client IDs the IAM OIDC provider trusts; default the provider's client.
	Audiences []string
	// AnySessionName accepts any RoleSessionName for the provider's own tokens. By default
	// the fake applies ccwb's direct-federation trust policy (federation.attribution
	// "subject"): sts:RoleSessionName must equal the token's sub, or AccessDenied.
	AnySessionName bool
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
	if o.Provider == nil {
		t.Fatal("idptest.NewAWS: Provider is required")
	}
	if o.RoleARN == "" {
		o.RoleARN = "arn:aws:iam::123456789012:role/BedrockUsers"
	}
	if o.IdentityPoolID == "" {
		o.IdentityPoolID = "us-east-1:00000000-0000-0000-0000-000000000000"
	}
	if len(o.Audiences) == 0 {
		o.Audiences = []string{o.Provider.ClientID}
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

// Sessions returns every session issued, in no particular order.
func (a *AWS) Sessions() []Session {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Session, 0, len(a.sessions))
	for _, s := range a.sessions {
		out = append(out, s)
	}
	return out
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

func (a *AWS) serve(w http.ResponseWriter, r *http.Request) {
	if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, "AWSCognitoIdentityService.") {
		a.serveCognito(w, r, strings.TrimPrefix(target, "AWSCognitoIdentityService."))
		return
	}
	a.serveSTS(w, r)
}

// --- STS (query protocol) ---

const stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"

func (a *AWS) serveSTS(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeSTSError(w, fail(400, "MalformedQueryString", "%v", err))
		return
	}
	action := r.Form.Get("Action")
	if f := a.fault(action); f != nil {
		writeSTSError(w, f)
		return
	}
	var (
		body any
		err  *awsError
	)
	switch action {
	case "AssumeRoleWithWebIdentity":
		body, err = a.assumeRoleWithWebIdentity(r)
	case "GetCallerIdentity":
		body, err = a.getCallerIdentity(r)
	default:
		err = fail(400, "InvalidAction", "could not find operation %q", action)
	}
	if err != nil {
		writeSTSError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(body)
}

func writeSTSError(w http.ResponseWriter, e *awsError) {
	typ := "Sender"
	if e.status >= 500 {
		typ = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.status)
	_ = xml.NewEncoder(w).Encode(struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		NS        string   `xml:"xmlns,attr"`
		Type      string   `xml:"Error>Type"`
		Code      string   `xml:"Error>Code"`
		Message   string   `xml:"Error>Message"`
		RequestID string   `xml:"RequestId"`
	}{NS: stsNS, Type: typ, Code: e.code, Message: e.message, RequestID: randomID()})
}

type stsCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

var sessionNameRe = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

func (a *AWS) assumeRoleWithWebIdentity(r *http.Request) (any, *awsError) {
	f := r.Form
	if f.Get("RoleArn") != a.opts.RoleARN {
		return nil, fail(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	name := f.Get("RoleSessionName")
	if !sessionNameRe.MatchString(name) {
		return nil, fail(400, "ValidationError", "1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", name)
	}
	duration := 3600
	if d := f.Get("DurationSeconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			return nil, fail(400, "ValidationError", "DurationSeconds %q must be between 900 and 43200", d)
		}
		duration = n
	}
	sub, aud, err := a.verifyWebIdentity(r.Context(), f.Get("WebIdentityToken"))
	if err != nil {
		return nil, err
	}
	if aud == a.opts.Provider.ClientID && !a.opts.AnySessionName && name != sub {
		return nil, fail(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	s := Session{
		AccessKeyID: "ASIA" + strings.ToUpper(randomID()[:16]), SecretAccessKey: randomID() + randomID()[:8],
		SessionToken: "FwoG" + randomID() + randomID(), RoleSessionName: name, Subject: sub,
		DurationSeconds: duration, Expiration: time.Now().Add(time.Duration(duration) * time.Second).UTC().Truncate(time.Second),
	}
	a.mu.Lock()
	a.sessions[s.AccessKeyID] = s
	a.mu.Unlock()
	roleName, account := a.role()
	type assumedRoleUser struct {
		Arn           string `xml:"Arn"`
		AssumedRoleID string `xml:"AssumedRoleId"`
	}
	return struct {
		XMLName         xml.Name        `xml:"AssumeRoleWithWebIdentityResponse"`
		NS              string          `xml:"xmlns,attr"`
		Subject         string          `xml:"AssumeRoleWithWebIdentityResult>SubjectFromWebIdentityToken"`
		Audience        string          `xml:"AssumeRoleWithWebIdentityResult>Audience"`
		AssumedRoleUser assumedRoleUser `xml:"AssumeRoleWithWebIdentityResult>AssumedRoleUser"`
		Credentials     stsCredentials  `xml:"AssumeRoleWithWebIdentityResult>Credentials"`
		RequestID       string          `xml:"ResponseMetadata>RequestId"`
	}{
		NS: stsNS, Subject: sub, Audience: aud,
		AssumedRoleUser: assumedRoleUser{Arn: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, roleName, name), AssumedRoleID: "AROA" + strings.ToUpper(randomID()[:17]) + ":" + name},
		Credentials:     stsCredentials{s.AccessKeyID, s.SecretAccessKey, s.SessionToken, s.Expiration.Format(time.RFC3339)},
		RequestID:       randomID(),
	}, nil
}

// verifyWebIdentity checks a web identity token as STS does: a Cognito Identity token signed by
// this fake, or an ID token of the provider (signature against its published JWKS, issuer,
// audience, expiry).
func (a *AWS) verifyWebIdentity(ctx context.Context, raw string) (subject, audience string, _ *awsError) {
	if raw == "" {
		return "", "", fail(400, "ValidationError", "WebIdentityToken is required")
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", "", fail(400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.")
	}
	var unverified jwt.Claims
	_ = tok.UnsafeClaimsWithoutVerification(&unverified)
	if unverified.Issuer == cognitoIssuer {
		var c jwt.Claims
		var extra struct {
			AMR []string `json:"amr"`
		}
		if err := tok.Claims(&a.cognitoKey.PublicKey, &c, &extra); err != nil {
			return "", "", fail(400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS. Signature verification failed.")
		}
		if err := c.ValidateWithLeeway(jwt.Expected{Issuer: cognitoIssuer, AnyAudience: jwt.Audience{a.opts.IdentityPoolID}, Time: time.Now()}, 0); err != nil {
			if errors.Is(err, jwt.ErrExpired) {
				return "", "", fail(400, "ExpiredTokenException", "Token expired: current date/time %s must be before the expiration date/time %s", time.Now().UTC().Format(time.RFC3339), c.Expiry.Time().UTC().Format(time.RFC3339))
			}
			return "", "", fail(400, "InvalidIdentityToken", "Incorrect token audience or issuer: %v", err)
		}
		// The role's trust policy: cognito-identity.amazonaws.com:amr must hold "authenticated".
		if !slices.Contains(extra.AMR, "authenticated") {
			return "", "", fail(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
		}
		return c.Subject, a.opts.IdentityPoolID, nil
	}
	idt, verr := a.verifyProviderToken(ctx, raw)
	if verr != nil {
		return "", "", verr
	}
	return idt.Subject, a.opts.Provider.ClientID, nil
}

// verifyProviderToken verifies an ID token of the provider as IAM does for an OIDC provider
// whose audience list holds the client ID.
func (a *AWS) verifyProviderToken(ctx context.Context, raw string) (*oidc.IDToken, *awsError) {
	p := a.opts.Provider
	ctx = oidc.ClientContext(ctx, p.Client())
	keys := oidc.NewRemoteKeySet(ctx, p.Issuer+"/keys")
	v := oidc.NewVerifier(p.Issuer, keys, &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: []string{"RS256"}})
	idt, err := v.Verify(ctx, raw)
	if err == nil && !slices.ContainsFunc(idt.Audience, func(aud string) bool { return slices.Contains(a.opts.Audiences, aud) }) {
		return nil, fail(400, "InvalidIdentityToken", "Incorrect token audience")
	}
	if err != nil {
		var expired *oidc.TokenExpiredError
		switch {
		case errors.As(err, &expired):
			return nil, fail(400, "ExpiredTokenException", "Token expired: current date/time %s must be before the expiration date/time %s", time.Now().UTC().Format(time.RFC3339), expired.Expiry.UTC().Format(time.RFC3339))
		case strings.Contains(err.Error(), "audience"):
			return nil, fail(400, "InvalidIdentityToken", "Incorrect token audience")
		case strings.Contains(err.Error(), "issuer"):
			return nil, fail(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for %s", strings.TrimPrefix(p.Issuer, "https://"))
		default:
			return nil, fail(400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.")
		}
	}
	return idt, nil
}

var credentialRe = regexp.MustCompile(`Credential=([A-Z0-9]+)/`)

func (a *AWS) getCallerIdentity(r *http.Request) (any, *awsError) {
	m := credentialRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return nil, fail(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
	}
	s, ok := a.Session(m[1])
	if !ok || r.Header.Get("X-Amz-Security-Token") != s.SessionToken {
		return nil, fail(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
	}
	if time.Now().After(s.Expiration) {
		return nil, fail(400, "ExpiredToken", "The security token included in the request is expired")
	}
	roleName, account := a.role()
	return struct {
		XMLName   xml.Name `xml:"GetCallerIdentityResponse"`
		NS        string   `xml:"xmlns,attr"`
		Arn       string   `xml:"GetCallerIdentityResult>Arn"`
		UserID    string   `xml:"GetCallerIdentityResult>UserId"`
		Account   string   `xml:"GetCallerIdentityResult>Account"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}{NS: stsNS, Arn: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, roleName, s.RoleSessionName),
		UserID: "AROAEXAMPLE:" + s.RoleSessionName, Account: account, RequestID: randomID()}, nil
}

// role returns the role's name and account.
func (a *AWS) role() (name, account string) {
	arn := a.opts.RoleARN
	return arn[strings.LastIndex(arn, "/")+1:], strings.Split(arn, ":")[4]
}

// --- Cognito Identity (JSON 1.1) ---

func (a *AWS) serveCognito(w http.ResponseWriter, r *http.Request, action string) {
	var (
		out any
		err *awsError
	)
	if f := a.fault(action); f != nil {
		err = f
	} else {
		var in struct {
			IdentityPoolID string            `json:"IdentityPoolId"`
			IdentityID     string            `json:"IdentityId"`
			Logins         map[string]string `json:"Logins"`
		}
		if derr := json.NewDecoder(r.Body).Decode(&in); derr != nil {
			err = fail(400, "InvalidParameterException", "malformed request: %v", derr)
		} else {
			switch action {
			case "GetId":
				out, err = a.getID(r.Context(), in.IdentityPoolID, in.Logins)
			case "GetOpenIdToken":
				out, err = a.getOpenIDToken(r.Context(), in.IdentityID, in.Logins)
			default:
				err = fail(400, "UnknownOperationException", "unknown operation %s", action)
			}
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if err != nil {
		w.WriteHeader(err.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": err.code, "message": err.message})
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}

// login verifies the provider's token in a Logins map (keyed by the issuer's host and path).
func (a *AWS) login(ctx context.Context, logins map[string]string) (string, *awsError) {
	key := strings.TrimSuffix(strings.TrimPrefix(a.opts.Provider.Issuer, "https://"), "/")
	raw, ok := logins[key]
	if !ok || len(logins) != 1 {
		return "", fail(400, "NotAuthorizedException", "Invalid login token. Logins must hold exactly the key %s", key)
	}
	idt, err := a.verifyProviderToken(ctx, raw)
	if err != nil {
		if err.code == "ExpiredTokenException" {
			return "", fail(400, "NotAuthorizedException", "Invalid login token. Token expired: %s", err.message)
		}
		return "", fail(400, "NotAuthorizedException", "Invalid login token. %s", err.message)
	}
	return idt.Subject, nil
}

func (a *AWS) getID(ctx context.Context, pool string, logins map[string]string) (any, *awsError) {
	if pool != a.opts.IdentityPoolID {
		return nil, fail(400, "ResourceNotFoundException", "IdentityPool '%s' not found.", pool)
	}
	sub, err := a.login(ctx, logins)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	id, ok := a.identities[sub]
	if !ok {
		id = strings.Split(pool, ":")[0] + ":" + randomID()
		a.identities[sub] = id
	}
	return map[string]string{"IdentityId": id}, nil
}

func (a *AWS) getOpenIDToken(ctx context.Context, identityID string, logins map[string]string) (any, *awsError) {
	sub, err := a.login(ctx, logins)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	known := a.identities[sub] == identityID
	a.mu.Unlock()
	if !known {
		return nil, fail(400, "NotAuthorizedException", "Invalid identity ID %s for this login", identityID)
	}
	signer, serr := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: a.cognitoKey}, (&jose.SignerOptions{}).WithType("JWT"))
	if serr != nil {
		return nil, fail(500, "InternalErrorException", "%v", serr)
	}
	now := time.Now()
	key := strings.TrimSuffix(strings.TrimPrefix(a.opts.Provider.Issuer, "https://"), "/")
	raw, serr := jwt.Signed(signer).Claims(jwt.Claims{
		Issuer: cognitoIssuer, Subject: identityID, Audience: jwt.Audience{a.opts.IdentityPoolID},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(10 * time.Minute)),
	}).Claims(map[string]any{"amr": []string{"authenticated", key, key + ":" + a.opts.Provider.ClientID}}).Serialize()
	if serr != nil {
		return nil, fail(500, "InternalErrorException", "%v", serr)
	}
	return map[string]string{"IdentityId": identityID, "Token": raw}, nil
}
