package idptest

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The fake STS: the query protocol, XML answers.

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
	roleName, account := a.role()
	s := a.issue(Session{RoleSessionName: name, Subject: sub, DurationSeconds: duration,
		AssumedRoleARN: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, roleName, name)})
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
		AssumedRoleUser: assumedRoleUser{Arn: s.AssumedRoleARN, AssumedRoleID: "AROA" + strings.ToUpper(randomID()[:17]) + ":" + name},
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
		if err := c.ValidateWithLeeway(jwt.Expected{Issuer: cognitoIssuer, AnyAudience: jwt.Audience{a.opts.IdentityPoolID}, Time: a.opts.Now()}, 0); err != nil {
			if errors.Is(err, jwt.ErrExpired) {
				return "", "", fail(400, "ExpiredTokenException", "Token expired: current date/time %s must be before the expiration date/time %s", a.opts.Now().UTC().Format(time.RFC3339), c.Expiry.Time().UTC().Format(time.RFC3339))
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
	v := oidc.NewVerifier(p.Issuer, keys, &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: []string{"RS256"}, Now: a.opts.Now})
	idt, err := v.Verify(ctx, raw)
	if err == nil && !slices.ContainsFunc(idt.Audience, func(aud string) bool { return slices.Contains(a.opts.Audiences, aud) }) {
		return nil, fail(400, "InvalidIdentityToken", "Incorrect token audience")
	}
	if err != nil {
		var expired *oidc.TokenExpiredError
		switch {
		case errors.As(err, &expired):
			return nil, fail(400, "ExpiredTokenException", "Token expired: current date/time %s must be before the expiration date/time %s", a.opts.Now().UTC().Format(time.RFC3339), expired.Expiry.UTC().Format(time.RFC3339))
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
	if a.opts.Now().After(s.Expiration) {
		return nil, fail(400, "ExpiredToken", "The security token included in the request is expired")
	}
	return struct {
		XMLName   xml.Name `xml:"GetCallerIdentityResponse"`
		NS        string   `xml:"xmlns,attr"`
		Arn       string   `xml:"GetCallerIdentityResult>Arn"`
		UserID    string   `xml:"GetCallerIdentityResult>UserId"`
		Account   string   `xml:"GetCallerIdentityResult>Account"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}{NS: stsNS, Arn: s.AssumedRoleARN,
		UserID: "AROAEXAMPLE:" + s.RoleSessionName, Account: strings.Split(s.AssumedRoleARN, ":")[4], RequestID: randomID()}, nil
}

// role returns the role's name and account.
func (a *AWS) role() (name, account string) {
	arn := a.opts.RoleARN
	return arn[strings.LastIndex(arn, "/")+1:], strings.Split(arn, ":")[4]
}
