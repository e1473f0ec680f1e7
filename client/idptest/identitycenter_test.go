package idptest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"golang.org/x/oauth2"

	"ccwb.dev/client/idptest"
)

// The Identity Center stand-in, driven by the AWS SDK for Go's own ssooidc, sso and sts
// clients: they must read its answers, and its errors, as they read AWS's.

const startURL = "https://d-1234567890.awsapps.com/start"

type icWorld struct {
	ic     *idptest.IdentityCenter
	aws    *idptest.AWS
	oidc   *ssooidc.Client
	portal *sso.Client
}

func newIC(t *testing.T, o idptest.IdentityCenterOptions) *icWorld {
	t.Helper()
	w := &icWorld{aws: idptest.NewAWS(t, idptest.AWSOptions{})}
	o.AWS = w.aws
	w.ic = idptest.NewIdentityCenter(t, o)
	w.oidc = ssooidc.New(ssooidc.Options{Region: "eu-west-1", BaseEndpoint: aws.String(w.ic.URL), RetryMaxAttempts: 1})
	w.portal = sso.New(sso.Options{Region: "eu-west-1", BaseEndpoint: aws.String(w.ic.URL), RetryMaxAttempts: 1})
	return w
}

func code(t *testing.T, err error) string {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) {
		t.Fatalf("%v: want an API error", err)
	}
	return api.ErrorCode()
}

// authorize signs in at the authorization page as the user and returns the code the
// redirect carries.
func authorize(t *testing.T, w *icWorld, clientID, redirect, challenge string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "state": {"st"},
		"code_challenge_method": {"S256"}, "code_challenge": {challenge}, "scopes": {"sso:account:access"}}
	resp, err := c.Get(w.ic.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, resp)
	m := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("authorize: %s %s", resp.Status, page)
	}
	resp, err = c.PostForm(w.ic.URL+"/login", url.Values{"id": {m[1]}, "username": {idptest.DefaultUser.Username}, "password": {idptest.DefaultUser.Password}})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("state") != "st" || !strings.HasPrefix(loc.String(), redirect+"?") {
		t.Fatalf("login answered %s, Location %q", resp.Status, loc)
	}
	return loc.Query().Get("code")
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIdentityCenterAuthorizationCodeWithPKCE(t *testing.T) {
	t.Parallel()
	w := newIC(t, idptest.IdentityCenterOptions{})
	ctx := context.Background()
	reg, err := w.oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("ccwb"), ClientType: aws.String("public"),
		Scopes: []string{"sso:account:access"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"}, GrantTypes: []string{"authorization_code", "refresh_token"}, IssuerUrl: aws.String(startURL)})
	if err != nil {
		t.Fatal(err)
	}
	redirect := "http://127.0.0.1:43210/oauth/callback"
	verifier := oauth2.GenerateVerifier()
	exchange := func(code, verifier, redirect string) (*ssooidc.CreateTokenOutput, error) {
		return w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("authorization_code"),
			Code: aws.String(code), CodeVerifier: aws.String(verifier), RedirectUri: aws.String(redirect)})
	}
	if _, err := exchange(authorize(t, w, *reg.ClientId, redirect, oauth2.S256ChallengeFromVerifier(verifier)), oauth2.GenerateVerifier(), redirect); code(t, err) != "InvalidGrantException" {
		t.Errorf("another verifier: %v, want InvalidGrantException", err)
	}
	if _, err := exchange(authorize(t, w, *reg.ClientId, redirect, oauth2.S256ChallengeFromVerifier(verifier)), verifier, "http://127.0.0.1:1/oauth/callback"); code(t, err) != "InvalidGrantException" {
		t.Errorf("another redirect URI: %v, want InvalidGrantException", err)
	}
	code1 := authorize(t, w, *reg.ClientId, redirect, oauth2.S256ChallengeFromVerifier(verifier))
	tok, err := exchange(code1, verifier, redirect)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exchange(code1, verifier, redirect); code(t, err) != "InvalidGrantException" {
		t.Errorf("a code used twice: %v", err)
	}
	creds, err := w.portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken, AccountId: aws.String("123456789012"), RoleName: aws.String("ClaudeCodeBedrock")})
	if err != nil {
		t.Fatal(err)
	}
	rc := creds.RoleCredentials
	client := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(w.aws.URL), Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: *rc.AccessKeyId, SecretAccessKey: *rc.SecretAccessKey, SessionToken: *rc.SessionToken}, nil
	})})
	id, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:sts::123456789012:assumed-role/" + w.ic.RoleName() + "/jane"; *id.Arn != want || !strings.HasPrefix(w.ic.RoleName(), "AWSReservedSSO_ClaudeCodeBedrock_") {
		t.Errorf("caller %s, want %s", *id.Arn, want)
	}

	refreshed, err := w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
	if err != nil || *refreshed.AccessToken == *tok.AccessToken {
		t.Fatalf("refresh: %v", err)
	}
	w.ic.EndSessions()
	if _, err := w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: refreshed.RefreshToken}); code(t, err) != "InvalidGrantException" {
		t.Errorf("refresh after the session ended: %v", err)
	}
	if _, err := w.portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: refreshed.AccessToken, AccountId: aws.String("123456789012"), RoleName: aws.String("ClaudeCodeBedrock")}); code(t, err) != "UnauthorizedException" {
		t.Errorf("portal after the session ended: %v", err)
	}
}

func TestIdentityCenterDeviceCode(t *testing.T) {
	t.Parallel()
	w := newIC(t, idptest.IdentityCenterOptions{Unassigned: []string{"jane"}})
	ctx := context.Background()
	reg, err := w.oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("ccwb"), ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId, ClientSecret: aws.String("wrong"), StartUrl: aws.String(startURL)}); code(t, err) != "InvalidClientException" {
		t.Errorf("a wrong client secret: %v", err)
	}
	da, err := w.oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(startURL)})
	if err != nil {
		t.Fatal(err)
	}
	poll := func() error {
		_, err := w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: da.DeviceCode})
		return err
	}
	if err := poll(); code(t, err) != "AuthorizationPendingException" {
		t.Errorf("before approval: %v", err)
	}
	if err := poll(); code(t, err) != "SlowDownException" {
		t.Errorf("polled at once again: %v", err)
	}
	if err := w.ic.DenyDevice(*da.UserCode, idptest.DefaultUser); err != nil {
		t.Fatal(err)
	}
	if err := poll(); code(t, err) != "AccessDeniedException" {
		t.Errorf("after the user denied: %v", err)
	}
	if !strings.Contains(*da.VerificationUriComplete, "user_code="+url.QueryEscape(*da.UserCode)) || da.ExpiresIn != 600 || da.Interval != 1 {
		t.Errorf("device authorization %+v", da)
	}
	da2, _ := w.oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(startURL)})
	if err := w.ic.ApproveDevice(*da2.UserCode, idptest.DefaultUser); err != nil {
		t.Fatal(err)
	}
	tok, err := w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: da2.DeviceCode})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken, AccountId: aws.String("123456789012"), RoleName: aws.String("ClaudeCodeBedrock")}); code(t, err) != "ResourceNotFoundException" {
		t.Errorf("an unassigned user: %v", err)
	}
	roles, err := w.portal.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: tok.AccessToken, AccountId: aws.String("123456789012")})
	if err != nil || len(roles.RoleList) != 0 {
		t.Errorf("ListAccountRoles of an unassigned user: %+v, %v", roles, err)
	}
}
