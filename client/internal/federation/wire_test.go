package federation

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"ccwb.dev/client/internal/wiretest"
)

// The STS and Cognito Identity calls are spoken by hand (a smaller, faster binary on the
// cached path); the AWS SDK for Go is the witness that they are the calls AWS expects: the
// same request for the same input, the same reading of the same answer.

func TestAssumeRoleWithWebIdentityIsTheSDKs(t *testing.T) {
	t.Parallel()
	srv, got := wiretest.Server(t, http.StatusOK, nil, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>
<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2030-01-02T03:04:05Z</Expiration></Credentials>
</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`)
	role, name, tok := "arn:aws:iam::123456789012:role/R", "00u1", "header.payload.sig"
	ours, err := (&awsClient{endpoint: stsEndpoint(srv.URL, "us-east-1"), http: srv.Client()}).assumeRoleWithWebIdentity(context.Background(), role, name, tok, 28800)
	if err != nil {
		t.Fatal(err)
	}
	client := sts.New(sts.Options{Region: "us-east-1", Credentials: aws.AnonymousCredentials{}, BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()})
	sdk, err := client.AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(role), RoleSessionName: aws.String(name), WebIdentityToken: aws.String(tok), DurationSeconds: aws.Int32(28800),
	})
	if err != nil {
		t.Fatal(err)
	}
	wiretest.Same(t, got.Take())
	c := sdk.Credentials
	if ours.AccessKeyID != *c.AccessKeyId || ours.SecretAccessKey != *c.SecretAccessKey || ours.SessionToken != *c.SessionToken || !ours.Expiration.Equal(*c.Expiration) {
		t.Errorf("ours read %+v, the SDK %+v", ours, *c)
	}
}

func TestCognitoCallsAreTheSDKs(t *testing.T) {
	t.Parallel()
	logins := map[string]string{"idp.example.com": "header.payload.sig"}
	srv, got := wiretest.Server(t, http.StatusOK, nil, `{"IdentityId":"us-east-1:abc","Token":"cognito.jwt.sig"}`)
	c := &awsClient{endpoint: cognitoEndpoint(srv.URL, "us-east-1"), http: srv.Client()}
	client := cognitoidentity.New(cognitoidentity.Options{Region: "us-east-1", Credentials: aws.AnonymousCredentials{}, BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()})
	var id struct{ IdentityId string }
	if err := c.cognito(context.Background(), "GetId", map[string]any{"IdentityPoolId": "us-east-1:pool", "Logins": logins}, &id); err != nil {
		t.Fatal(err)
	}
	sdkID, err := client.GetId(context.Background(), &cognitoidentity.GetIdInput{IdentityPoolId: aws.String("us-east-1:pool"), Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	wiretest.Same(t, got.Take())
	if id.IdentityId != *sdkID.IdentityId {
		t.Errorf("GetId: ours read %q, the SDK %q", id.IdentityId, *sdkID.IdentityId)
	}
	var tok struct{ Token string }
	if err := c.cognito(context.Background(), "GetOpenIdToken", map[string]any{"IdentityId": id.IdentityId, "Logins": logins}, &tok); err != nil {
		t.Fatal(err)
	}
	sdkTok, err := client.GetOpenIdToken(context.Background(), &cognitoidentity.GetOpenIdTokenInput{IdentityId: sdkID.IdentityId, Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	wiretest.Same(t, got.Take())
	if tok.Token != *sdkTok.Token {
		t.Errorf("GetOpenIdToken: ours read %q, the SDK %q", tok.Token, *sdkTok.Token)
	}
}

// An error answer gives ours the code and message the SDK gives its caller, which explain
// then turns into advice.
func TestErrorAnswersReadAsTheSDKReadsThem(t *testing.T) {
	t.Parallel()
	noRetry := func(o *sts.Options) { o.RetryMaxAttempts = 1 }
	for _, tc := range []struct {
		name, body string
		status     int
		cognito    bool
	}{
		{"STS", `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error><RequestId>r</RequestId></ErrorResponse>`, 400, false},
		{"Cognito Identity", `{"__type":"NotAuthorizedException","message":"Invalid login token."}`, 400, true},
		{"Cognito Identity, namespaced type", `{"__type":"com.amazonaws.cognito.identity.model#ResourceNotFoundException","message":"IdentityPool 'x' not found."}`, 400, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := wiretest.Server(t, tc.status, nil, tc.body)
			var ours, theirs error
			if tc.cognito {
				ours = (&awsClient{endpoint: cognitoEndpoint(srv.URL, "us-east-1"), http: srv.Client()}).cognito(context.Background(), "GetId", map[string]any{"IdentityPoolId": "p"}, &struct{}{})
				client := cognitoidentity.New(cognitoidentity.Options{Region: "us-east-1", Credentials: aws.AnonymousCredentials{}, BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(), RetryMaxAttempts: 1})
				_, theirs = client.GetId(context.Background(), &cognitoidentity.GetIdInput{IdentityPoolId: aws.String("p")})
			} else {
				_, ours = (&awsClient{endpoint: stsEndpoint(srv.URL, "us-east-1"), http: srv.Client()}).assumeRoleWithWebIdentity(context.Background(), "r", "n", "t", 3600)
				client := sts.New(sts.Options{Region: "us-east-1", Credentials: aws.AnonymousCredentials{}, BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()}, noRetry)
				_, theirs = client.AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("r"), RoleSessionName: aws.String("n"), WebIdentityToken: aws.String("t")})
			}
			var api *APIError
			var sdk smithy.APIError
			if !errors.As(ours, &api) || !errors.As(theirs, &sdk) {
				t.Fatalf("ours %v, the SDK's %v: want API errors", ours, theirs)
			}
			if api.Code != sdk.ErrorCode() || api.Message != sdk.ErrorMessage() {
				t.Errorf("ours read %s %q, the SDK %s %q", api.Code, api.Message, sdk.ErrorCode(), sdk.ErrorMessage())
			}
		})
	}
}

// Without an override, each call goes where the SDK's endpoint resolvers send it: STS's
// regional endpoint and Cognito Identity's.
func TestDefaultEndpointsAreTheSDKs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"} {
		s, err := sts.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sts.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			t.Fatal(err)
		}
		if got := stsEndpoint("", region); got != s.URI.String()+"/" {
			t.Errorf("%s: STS at %s, the SDK resolves %s", region, got, s.URI.String())
		}
		c, err := cognitoidentity.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, cognitoidentity.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			t.Fatal(err)
		}
		if got := cognitoEndpoint("", region); got != c.URI.String()+"/" {
			t.Errorf("%s: Cognito Identity at %s, the SDK resolves %s", region, got, c.URI.String())
		}
	}
}
