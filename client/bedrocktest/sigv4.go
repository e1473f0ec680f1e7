package bedrocktest

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// SigningService is the SigV4 service name of every Bedrock endpoint, the runtime's
// included (the endpoint's host says bedrock-runtime, the credential scope says bedrock).
const SigningService = "bedrock"

// maxSkew is how far a request's X-Amz-Date may be from the server's clock: RequestExpired
// in https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html (more than 15
// minutes after the date stamp, or more than 15 minutes before it).
const maxSkew = 15 * time.Minute

const amzDateFormat = "20060102T150405Z"

var authRe = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request,\s*SignedHeaders=([a-z0-9;!#$%&'*+.^_|~-]+),\s*Signature=([0-9a-f]{64})$`)

// authorization is a parsed SigV4 Authorization header.
type authorization struct {
	accessKeyID, date, region, service string
	signedHeaders                      []string
	signature                          string
}

func parseAuthorization(h string) (authorization, *apiError) {
	if h == "" {
		return authorization{}, fail(http.StatusForbidden, "MissingAuthenticationToken", "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.")
	}
	m := authRe.FindStringSubmatch(h)
	if m == nil {
		return authorization{}, fail(http.StatusBadRequest, "IncompleteSignature", "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and the AWS4-HMAC-SHA256 algorithm. Authorization=%s", h)
	}
	return authorization{accessKeyID: m[1], date: m[2], region: m[3], service: m[4], signedHeaders: strings.Split(m[5], ";"), signature: m[6]}, nil
}

// verify checks a request's SigV4 signature as AWS does (codes and statuses from
// https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html and
// https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html;
// a wrong scope or signature is InvalidSignatureException, with the messages Bedrock gives,
// e.g. https://github.com/maximhq/bifrost/issues/2533): the credential scope names this
// service and Region, the request is fresh, the access key and session token are ones this
// server issued and not expired, and the signature recomputed by aws-sdk-go-v2's signer over
// the headers the client signed and the body it sent is the one it sent. It returns the
// access key ID.
func (s *Server) verify(r *http.Request, body []byte, now time.Time) (string, *apiError) {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	signedAt, perr := time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
	if perr != nil {
		return "", fail(http.StatusBadRequest, "IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if a.service != SigningService {
		return "", fail(http.StatusForbidden, "InvalidSignatureException", "Credential should be scoped to correct service: '%s'. ", SigningService)
	}
	if a.region != s.opts.Region {
		return "", fail(http.StatusForbidden, "InvalidSignatureException", "Credential should be scoped to a valid region. ")
	}
	if a.date != signedAt.Format("20060102") {
		return "", fail(http.StatusForbidden, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.date, signedAt.Format("20060102"), r.Header.Get("X-Amz-Date"))
	}
	if d := now.Sub(signedAt); d > maxSkew || d < -maxSkew {
		return "", fail(http.StatusBadRequest, "RequestExpired", "The request is no longer valid: it is dated %s, more than 15 minutes from %s.", signedAt.Format(amzDateFormat), now.UTC().Format(amzDateFormat))
	}
	creds, ok := s.credentials(a.accessKeyID)
	if !ok {
		return "", fail(http.StatusForbidden, "InvalidClientTokenId", "The AWS access key ID provided does not exist in our records.")
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Amz-Security-Token")), []byte(creds.SessionToken)) != 1 {
		return "", fail(http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid.")
	}
	if creds.CanExpire && !now.Before(creds.Expires) {
		return "", fail(http.StatusForbidden, "ExpiredTokenException", "The security token included in the request is expired")
	}
	want, serr := resign(r, body, a, creds, signedAt)
	if serr != nil {
		return "", fail(http.StatusForbidden, "InvalidSignatureException", "%v", serr)
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(a.signature)) != 1 {
		return "", fail(http.StatusForbidden, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return a.accessKeyID, nil
}

// resign signs a copy of r that holds only the headers the client signed, with the
// client's signing time and the hash of the body received, and returns the signature.
func resign(r *http.Request, body []byte, a authorization, creds aws.Credentials, signedAt time.Time) (string, error) {
	if !slices.Contains(a.signedHeaders, "host") {
		return "", fmt.Errorf("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	cp, err := http.NewRequestWithContext(context.Background(), r.Method, r.URL.String(), nil)
	if err != nil {
		return "", err
	}
	cp.URL.RawPath, cp.URL.Path = r.URL.RawPath, r.URL.Path
	cp.Host = r.Host
	for _, h := range a.signedHeaders {
		switch h {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			vs, ok := r.Header[textproto.CanonicalMIMEHeaderKey(h)]
			if !ok {
				return "", fmt.Errorf("the header %s is signed but missing from the request", h)
			}
			cp.Header[textproto.CanonicalMIMEHeaderKey(h)] = vs
		}
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, cp, hex.EncodeToString(sum[:]), a.service, a.region, signedAt); err != nil {
		return "", err
	}
	got, perr := parseAuthorization(cp.Header.Get("Authorization"))
	if perr != nil {
		return "", perr
	}
	if !slices.Equal(got.signedHeaders, a.signedHeaders) {
		return "", fmt.Errorf("signed headers %v cannot be recomputed (got %v)", a.signedHeaders, got.signedHeaders)
	}
	return got.signature, nil
}
