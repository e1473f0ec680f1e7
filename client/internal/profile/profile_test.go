package profile

import (
	"testing"
)

func TestFileName(t *testing.T) {
	tests := map[string]string{
		"ClaudeCode":     "ClaudeCode",
		"team-a.prod_1":  "team-a.prod_1",
		"../etc":         "_.._etc",
		".":              "_.",
		"":               "_",
		"a/b\\c":         "a_b_c",
		"profile with ü": "profile_with__",
	}
	for in, want := range tests {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEndpointsFromEnv(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "http://all")
	t.Setenv("AWS_ENDPOINT_URL_STS", "http://sts")
	t.Setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY", "")
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc")
	t.Setenv("AWS_ENDPOINT_URL_SSO", "http://portal")
	t.Setenv("AWS_ENDPOINT_URL_S3", "http://s3")
	e := EndpointsFromEnv()
	if e != (Endpoints{STS: "http://sts", CognitoIdentity: "http://all", SSOOIDC: "http://oidc", SSOPortal: "http://portal", S3: "http://s3"}) {
		t.Errorf("EndpointsFromEnv = %+v: the service variable wins, the general one fills in", e)
	}
}
