package sso

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"

	"ccwb.dev/client/internal/federation"
	"ccwb.dev/client/internal/wiretest"
)

// SSO OIDC and the access portal are spoken by hand (the cached path stays fast); the AWS
// SDK for Go is the witness that they are the calls AWS expects: the same request for the
// same input, the same reading of the same answer and of the same error answer.

// jsonAnswer is the header of a REST-JSON answer, with errorType as X-Amzn-ErrorType when set.
func jsonAnswer(errorType string) map[string]string {
	h := map[string]string{"Content-Type": "application/json"}
	if errorType != "" {
		h["X-Amzn-ErrorType"] = errorType
	}
	return h
}

func clients(srv *httptest.Server) (*API, *ssooidc.Client, *sso.Client) {
	ours := &API{Region: "eu-west-1", Endpoints: Endpoints{OIDC: srv.URL, Portal: srv.URL}, HTTP: srv.Client()}
	oidc := ssooidc.New(ssooidc.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(), RetryMaxAttempts: 1})
	portal := sso.New(sso.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(), RetryMaxAttempts: 1})
	return ours, oidc, portal
}

func TestRegisterClientIsTheSDKs(t *testing.T) {
	t.Parallel()
	srv, got := wiretest.Server(t, 200, jsonAnswer(""), `{"clientId":"cid","clientSecret":"sec","clientIdIssuedAt":1700000000,"clientSecretExpiresAt":1707776000}`)
	ours, oidc, _ := clients(srv)
	in := RegisterInput{ClientName: "ccwb-ClaudeCode", ClientType: "public", Scopes: []string{"sso:account:access"},
		RedirectURIs: []string{"http://127.0.0.1/oauth/callback"}, GrantTypes: []string{GrantAuthorizationCode, GrantRefreshToken}, IssuerURL: "https://d-1234567890.awsapps.com/start"}
	r, err := ours.RegisterClient(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := oidc.RegisterClient(context.Background(), &ssooidc.RegisterClientInput{ClientName: aws.String(in.ClientName), ClientType: aws.String("public"),
		Scopes: in.Scopes, RedirectUris: in.RedirectURIs, GrantTypes: in.GrantTypes, IssuerUrl: aws.String(in.IssuerURL)})
	if err != nil {
		t.Fatal(err)
	}
	wiretest.Same(t, got.Take())
	if r.ClientID != *sdk.ClientId || r.ClientSecret != *sdk.ClientSecret || r.ClientSecretExpiresAt != sdk.ClientSecretExpiresAt {
		t.Errorf("ours read %+v, the SDK %+v", r, sdk)
	}
}

func TestDeviceAuthorizationIsTheSDKs(t *testing.T) {
	t.Parallel()
	srv, got := wiretest.Server(t, 200, jsonAnswer(""), `{"deviceCode":"dc","userCode":"ABCD-EFGH","verificationUri":"https://device.sso.eu-west-1.amazonaws.com/","verificationUriComplete":"https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH","expiresIn":600,"interval":1}`)
	ours, oidc, _ := clients(srv)
	d, err := ours.StartDeviceAuthorization(context.Background(), Registration{ClientID: "cid", ClientSecret: "sec"}, "https://d-1234567890.awsapps.com/start")
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := oidc.StartDeviceAuthorization(context.Background(), &ssooidc.StartDeviceAuthorizationInput{ClientId: aws.String("cid"), ClientSecret: aws.String("sec"), StartUrl: aws.String("https://d-1234567890.awsapps.com/start")})
	if err != nil {
		t.Fatal(err)
	}
	wiretest.Same(t, got.Take())
	if d.DeviceCode != *sdk.DeviceCode || d.UserCode != *sdk.UserCode || d.VerificationURIComplete != *sdk.VerificationUriComplete || d.ExpiresIn != int(sdk.ExpiresIn) || d.Interval != int(sdk.Interval) {
		t.Errorf("ours read %+v, the SDK %+v", d, sdk)
	}
}

func TestCreateTokenIsTheSDKs(t *testing.T) {
	t.Parallel()
	for _, in := range []TokenInput{
		{ClientID: "cid", ClientSecret: "sec", GrantType: GrantAuthorizationCode, Code: "code", CodeVerifier: "ver", RedirectURI: "http://127.0.0.1:5000/oauth/callback"},
		{ClientID: "cid", ClientSecret: "sec", GrantType: GrantDeviceCode, DeviceCode: "dc"},
		{ClientID: "cid", ClientSecret: "sec", GrantType: GrantRefreshToken, RefreshToken: "rt"},
	} {
		t.Run(in.GrantType, func(t *testing.T) {
			t.Parallel()
			srv, got := wiretest.Server(t, 200, jsonAnswer(""), `{"accessToken":"at","tokenType":"Bearer","expiresIn":3600,"refreshToken":"rt2"}`)
			ours, oidc, _ := clients(srv)
			tok, err := ours.CreateToken(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			opt := func(s string) *string {
				if s == "" {
					return nil
				}
				return aws.String(s)
			}
			sdk, err := oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{ClientId: opt(in.ClientID), ClientSecret: opt(in.ClientSecret), GrantType: opt(in.GrantType),
				Code: opt(in.Code), CodeVerifier: opt(in.CodeVerifier), RedirectUri: opt(in.RedirectURI), DeviceCode: opt(in.DeviceCode), RefreshToken: opt(in.RefreshToken)})
			if err != nil {
				t.Fatal(err)
			}
			wiretest.Same(t, got.Take())
			if tok.AccessToken != *sdk.AccessToken || tok.RefreshToken != *sdk.RefreshToken || tok.ExpiresIn != int(sdk.ExpiresIn) {
				t.Errorf("ours read %+v, the SDK %+v", tok, sdk)
			}
		})
	}
}

func TestGetRoleCredentialsIsTheSDKs(t *testing.T) {
	t.Parallel()
	srv, got := wiretest.Server(t, 200, jsonAnswer(""), `{"roleCredentials":{"accessKeyId":"ASIA1","secretAccessKey":"s","sessionToken":"t","expiration":1893456000000}}`)
	ours, _, portal := clients(srv)
	c, err := ours.GetRoleCredentials(context.Background(), "at", "123456789012", "ClaudeCodeBedrock")
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := portal.GetRoleCredentials(context.Background(), &sso.GetRoleCredentialsInput{AccessToken: aws.String("at"), AccountId: aws.String("123456789012"), RoleName: aws.String("ClaudeCodeBedrock")})
	if err != nil {
		t.Fatal(err)
	}
	wiretest.Same(t, got.Take())
	s := sdk.RoleCredentials
	if c.AccessKeyID != *s.AccessKeyId || c.SecretAccessKey != *s.SecretAccessKey || c.SessionToken != *s.SessionToken || c.Expiration != s.Expiration {
		t.Errorf("ours read %+v, the SDK %+v", c, *s)
	}
}

// An error answer gives ours the code and message the SDK gives its caller.
func TestErrorsReadAsTheSDKReadsThem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, header, body string
		status             int
		portal             bool
	}{
		{"pending", "", `{"__type":"AuthorizationPendingException","error":"authorization_pending","error_description":"Authorization is pending"}`, 400, false},
		{"slow down", "", `{"__type":"SlowDownException","error":"slow_down","error_description":"Client is polling too fast"}`, 400, false},
		{"invalid grant, header", "InvalidGrantException", `{"error":"invalid_grant","error_description":"Invalid refresh token provided"}`, 400, false},
		{"invalid client, namespaced", "", `{"__type":"com.amazonaws.ssooidc#InvalidClientException","error":"invalid_client","error_description":"Client is expired"}`, 401, false},
		{"unauthorized", "", `{"__type":"UnauthorizedException","message":"Session token not found or invalid"}`, 401, true},
		{"not assigned", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/", `{"message":"No access"}`, 404, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := wiretest.Server(t, tc.status, jsonAnswer(tc.header), tc.body)
			ours, oidc, portal := clients(srv)
			var mine, theirs error
			if tc.portal {
				_, mine = ours.GetRoleCredentials(context.Background(), "at", "123456789012", "r")
				_, theirs = portal.GetRoleCredentials(context.Background(), &sso.GetRoleCredentialsInput{AccessToken: aws.String("at"), AccountId: aws.String("123456789012"), RoleName: aws.String("r")})
			} else {
				_, mine = ours.CreateToken(context.Background(), TokenInput{ClientID: "c", ClientSecret: "s", GrantType: GrantDeviceCode, DeviceCode: "d"})
				_, theirs = oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{ClientId: aws.String("c"), ClientSecret: aws.String("s"), GrantType: aws.String(GrantDeviceCode), DeviceCode: aws.String("d")})
			}
			var api *federation.APIError
			var sdk smithy.APIError
			if !errors.As(mine, &api) || !errors.As(theirs, &sdk) {
				t.Fatalf("ours %v, the SDK's %v: want API errors", mine, theirs)
			}
			if want := sdkMessage(sdk); api.Code != sdk.ErrorCode() || api.Message != want {
				t.Errorf("ours read %s %q, the SDK %s %q", api.Code, api.Message, sdk.ErrorCode(), want)
			}
		})
	}
}

// sdkMessage is what the SDK read as the error's explanation: SSO OIDC's exceptions carry it
// in Error_description (OAuth's error_description), the portal's in the message.
func sdkMessage(e smithy.APIError) string {
	v := reflect.ValueOf(e)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("Error_description"); f.IsValid() && !f.IsNil() {
			return f.Elem().String()
		}
	}
	return e.ErrorMessage()
}

// Without an override, SSO OIDC and the access portal are where the SDK's endpoint resolvers
// send their clients.
func TestDefaultEndpointsAreTheSDKs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"} {
		api := &API{Region: region}
		o, err := ssooidc.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, ssooidc.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			t.Fatal(err)
		}
		if got := api.OIDCURL(); got != o.URI.String() {
			t.Errorf("%s: SSO OIDC at %s, the SDK resolves %s", region, got, o.URI.String())
		}
		p, err := sso.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sso.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			t.Fatal(err)
		}
		if got := api.portalURL(); got != p.URI.String() {
			t.Errorf("%s: the access portal at %s, the SDK resolves %s", region, got, p.URI.String())
		}
	}
}
