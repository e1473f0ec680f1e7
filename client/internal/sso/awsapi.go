// Package sso signs in with AWS IAM Identity Center and turns the sign-in into the
// credentials of one permission set in one account: the SSO OIDC service (RegisterClient,
// the authorization code grant with PKCE or the device authorization grant, CreateToken,
// refresh) and the access portal's GetRoleCredentials.
//
// Both APIs are REST-JSON and unsigned (the client secret or the bearer token is the proof),
// spoken here by hand like federation's STS calls: linking the AWS SDK's ssooidc and sso
// clients made every cached run of the binary about 1.1 times as long (docs/architecture.md,
// "Why STS, Cognito Identity and Identity Center are spoken by hand"). wire_test.go checks
// each call against the SDK.
package sso

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"ccwb.dev/client/internal/federation"
)

// Endpoints override the AWS endpoints (tests, VPC endpoints); empty uses AWS's.
type Endpoints struct {
	OIDC, Portal string
}

// API calls SSO OIDC and the access portal of one Region.
type API struct {
	Region    string
	Endpoints Endpoints
	HTTP      *http.Client // optional: federation.Call's default
}

// OIDCURL is the SSO OIDC endpoint (https://docs.aws.amazon.com/general/latest/gr/sso.html).
func (a *API) OIDCURL() string {
	if a.Endpoints.OIDC != "" {
		return strings.TrimSuffix(a.Endpoints.OIDC, "/")
	}
	return "https://oidc." + a.Region + ".amazonaws.com"
}

func (a *API) portalURL() string {
	if a.Endpoints.Portal != "" {
		return strings.TrimSuffix(a.Endpoints.Portal, "/")
	}
	return "https://portal.sso." + a.Region + ".amazonaws.com"
}

// Registration is a registered public client (RegisterClient's answer).
type Registration struct {
	ClientID              string `json:"clientId"`
	ClientSecret          string `json:"clientSecret"`
	ClientSecretExpiresAt int64  `json:"clientSecretExpiresAt"`
}

// RegisterInput is RegisterClient's request
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_RegisterClient.html).
type RegisterInput struct {
	ClientName   string   `json:"clientName"`
	ClientType   string   `json:"clientType"`
	Scopes       []string `json:"scopes,omitempty"`
	RedirectURIs []string `json:"redirectUris,omitempty"`
	GrantTypes   []string `json:"grantTypes,omitempty"`
	IssuerURL    string   `json:"issuerUrl,omitempty"`
}

// RegisterClient registers a public client.
func (a *API) RegisterClient(ctx context.Context, in RegisterInput) (Registration, error) {
	var out Registration
	err := a.postJSON(ctx, "/client/register", in, &out)
	if err == nil && (out.ClientID == "" || out.ClientSecret == "") {
		err = fmt.Errorf("SSO OIDC RegisterClient answered without a client")
	}
	return out, err
}

// DeviceAuthorization is StartDeviceAuthorization's answer
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_StartDeviceAuthorization.html).
type DeviceAuthorization struct {
	DeviceCode              string `json:"deviceCode"`
	UserCode                string `json:"userCode"`
	VerificationURI         string `json:"verificationUri"`
	VerificationURIComplete string `json:"verificationUriComplete"`
	ExpiresIn               int    `json:"expiresIn"`
	Interval                int    `json:"interval"`
}

// StartDeviceAuthorization starts a device sign-in at the access portal startURL.
func (a *API) StartDeviceAuthorization(ctx context.Context, r Registration, startURL string) (DeviceAuthorization, error) {
	var out DeviceAuthorization
	in := map[string]string{"clientId": r.ClientID, "clientSecret": r.ClientSecret, "startUrl": startURL}
	err := a.postJSON(ctx, "/device_authorization", in, &out)
	if err == nil && (out.DeviceCode == "" || out.UserCode == "") {
		err = fmt.Errorf("SSO OIDC StartDeviceAuthorization answered without a code")
	}
	return out, err
}

// TokenInput is CreateToken's request
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html).
type TokenInput struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	GrantType    string `json:"grantType"`
	Code         string `json:"code,omitempty"`
	CodeVerifier string `json:"codeVerifier,omitempty"`
	DeviceCode   string `json:"deviceCode,omitempty"`
	RedirectURI  string `json:"redirectUri,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// Grant types of CreateToken.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	GrantRefreshToken      = "refresh_token"
)

// Token is CreateToken's answer.
type Token struct {
	AccessToken  string `json:"accessToken"`
	ExpiresIn    int    `json:"expiresIn"`
	RefreshToken string `json:"refreshToken"`
	TokenType    string `json:"tokenType"`
}

// CreateToken asks for an access token.
func (a *API) CreateToken(ctx context.Context, in TokenInput) (Token, error) {
	var out Token
	err := a.postJSON(ctx, "/token", in, &out)
	if err == nil && out.AccessToken == "" {
		err = fmt.Errorf("SSO OIDC CreateToken answered without an access token")
	}
	return out, err
}

// RoleCredentials are GetRoleCredentials' credentials; Expiration is in epoch milliseconds
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_RoleCredentials.html).
type RoleCredentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      int64  `json:"expiration"`
}

// GetRoleCredentials returns the credentials of the role (permission set) roleName in
// account accountID for the user of accessToken
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html).
func (a *API) GetRoleCredentials(ctx context.Context, accessToken, accountID, roleName string) (RoleCredentials, error) {
	var out struct {
		RoleCredentials RoleCredentials `json:"roleCredentials"`
	}
	u := a.portalURL() + "/federation/credentials?" + url.Values{"account_id": {accountID}, "role_name": {roleName}}.Encode()
	err := federation.Call(ctx, a.HTTP, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err == nil {
			req.Header.Set("x-amz-sso_bearer_token", accessToken)
		}
		return req, err
	}, decodeInto(&out, "GetRoleCredentials"), federation.JSONError)
	c := out.RoleCredentials
	if err == nil && (c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expiration == 0) {
		err = fmt.Errorf("the access portal answered without complete credentials")
	}
	return c, err
}

func (a *API) postJSON(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return federation.Call(ctx, a.HTTP, func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodPost, a.OIDCURL()+path, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	}, decodeInto(out, path), federation.JSONError)
}

func decodeInto(out any, what string) func([]byte) error {
	return func(b []byte) error {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("read the answer of %s: %w", what, err)
		}
		return nil
	}
}
