package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The two AWS APIs federation needs, spoken directly: STS in the query protocol (XML
// answers) and Cognito Identity in JSON 1.1. Both calls are unsigned (the web identity token
// is the proof), so no credential chain and no config loading is involved. The SDK's clients
// (service/sts with stscreds, service/cognitoidentity) would make every run of the binary,
// the cached path too, about 20% slower: their packages' initialisation runs before main
// (measured: docs/architecture.md, "Credential flow"). The SDK is instead the witness that
// these are the calls AWS expects (wire_test.go).

// APIError is an error answer of an AWS service.
type APIError struct {
	Status        int
	Code, Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Message)
}

// Throttled reports whether AWS refused the call for its rate: the throttling codes of the
// query (STS) and JSON (Cognito Identity, SSO OIDC, the portal) protocols.
func (e *APIError) Throttled() bool {
	switch e.Code {
	case "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded":
		return true
	}
	return false
}

// retryable: throttling and server-side failures.
func (e *APIError) retryable() bool {
	switch e.Code {
	case "IDPCommunicationError", "InternalErrorException", "ServiceUnavailable":
		return true
	}
	return e.Throttled() || e.Status >= 500
}

// awsClient calls one regional endpoint with retries.
type awsClient struct {
	endpoint string
	http     *http.Client // nil: Call's default
}

// --- STS ---

func stsEndpoint(override, region string) string {
	if override != "" {
		return strings.TrimSuffix(override, "/") + "/"
	}
	return "https://sts." + region + ".amazonaws.com/"
}

type stsCredentials struct {
	AccessKeyID     string    `xml:"AssumeRoleWithWebIdentityResult>Credentials>AccessKeyId"`
	SecretAccessKey string    `xml:"AssumeRoleWithWebIdentityResult>Credentials>SecretAccessKey"`
	SessionToken    string    `xml:"AssumeRoleWithWebIdentityResult>Credentials>SessionToken"`
	Expiration      time.Time `xml:"AssumeRoleWithWebIdentityResult>Credentials>Expiration"`
}

func (c *awsClient) assumeRoleWithWebIdentity(ctx context.Context, roleARN, sessionName, token string, duration int) (stsCredentials, error) {
	form := url.Values{
		"Action": {"AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"},
		"RoleArn": {roleARN}, "RoleSessionName": {sessionName}, "WebIdentityToken": {token},
		"DurationSeconds": {fmt.Sprint(duration)},
	}.Encode()
	var out stsCredentials
	err := Call(ctx, c.http, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodPost, c.endpoint, strings.NewReader(form))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		}
		return req, err
	}, func(b []byte) error {
		if err := xml.Unmarshal(b, &out); err != nil {
			return fmt.Errorf("read the STS answer: %w", err)
		}
		if out.AccessKeyID == "" || out.SecretAccessKey == "" || out.SessionToken == "" || out.Expiration.IsZero() {
			return errors.New("STS answered without complete credentials")
		}
		return nil
	}, stsError)
	return out, err
}

func stsError(status int, _ http.Header, body []byte) *APIError {
	var e struct {
		Code    string `xml:"Error>Code"`
		Message string `xml:"Error>Message"`
	}
	if xml.Unmarshal(body, &e) != nil || e.Code == "" {
		return &APIError{Status: status, Code: http.StatusText(status), Message: strings.TrimSpace(string(body[:min(len(body), 200)]))}
	}
	return &APIError{Status: status, Code: e.Code, Message: e.Message}
}

// --- Cognito Identity ---

func cognitoEndpoint(override, region string) string {
	if override != "" {
		return strings.TrimSuffix(override, "/") + "/"
	}
	return "https://cognito-identity." + region + ".amazonaws.com/"
}

func (c *awsClient) cognito(ctx context.Context, action string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return Call(ctx, c.http, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodPost, c.endpoint, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityService."+action)
		}
		return req, err
	}, func(b []byte) error {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("read the Cognito Identity answer: %w", err)
		}
		return nil
	}, JSONError)
}

// JSONError reads the error answer of an AWS JSON or REST-JSON service (Cognito Identity, SSO
// OIDC, the portal): the code from the X-Amzn-ErrorType header, else the body's __type (either
// may carry a namespace or a ":"-suffix), the message from error_description (SSO OIDC),
// message or Message. An answer with no code keeps the HTTP status and the start of the body.
func JSONError(status int, h http.Header, body []byte) *APIError {
	var e struct {
		Type        string `json:"__type"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
		MessageCap  string `json:"Message"`
	}
	_ = json.Unmarshal(body, &e)
	code := h.Get("X-Amzn-ErrorType")
	if code == "" {
		code = e.Type
	}
	code, _, _ = strings.Cut(code, ":")
	code = code[strings.LastIndex(code, "#")+1:]
	if code == "" {
		return &APIError{Status: status, Code: http.StatusText(status), Message: strings.TrimSpace(string(body[:min(len(body), 200)]))}
	}
	msg := e.Description
	if msg == "" {
		msg = e.Message + e.MessageCap
	}
	return &APIError{Status: status, Code: code, Message: msg}
}
