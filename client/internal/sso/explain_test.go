package sso

import (
	"errors"
	"strings"
	"testing"

	"ccwb.dev/client/internal/federation"
)

// Each SSO OIDC or portal error reads as what to do, and keeps the API error for the callers
// that decide on its code.
func TestExplainSaysWhatToDo(t *testing.T) {
	for code, want := range map[string]string{
		"TooManyRequestsException": "is throttling requests",
		"ThrottlingException":      "is throttling requests",
		"InvalidGrantException":    "the sign-in is no longer valid",
		"InvalidClientException":   "no longer accepts this computer's registration",
		"AccessDeniedException":    "access denied",
		"InvalidRequestException":  "your config.json may not match the Identity Center instance",
		"InternalServerException":  "AWS may be having trouble",
	} {
		err := explain("SSO OIDC CreateToken", &federation.APIError{Status: 400, Code: code, Message: "m"})
		var api *federation.APIError
		if !strings.Contains(err.Error(), want) || !errors.As(err, &api) || api.Code != code {
			t.Errorf("%s: %v, want %q with the API error inside", code, err, want)
		}
	}
	if err := explain("SSO OIDC CreateToken", errors.New("dial tcp: timeout")); !strings.Contains(err.Error(), "cannot reach AWS") {
		t.Errorf("a network error: %v", err)
	}
}
