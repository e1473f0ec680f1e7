package sso

import (
	"errors"
	"fmt"

	"ccwb.dev/client/internal/federation"
)

// explain turns an SSO OIDC or portal error into a message a user can act on, keeping the
// API error inside for callers that decide on its code.
func explain(op string, err error) error {
	var api *federation.APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("%s: cannot reach AWS (%w): check your network, proxy or VPN, then run the command again", op, err)
	}
	if api.Throttled() {
		return fmt.Errorf("%s is throttling requests (%w after %d attempts): wait a minute and run the command again", op, err, federation.MaxAttempts)
	}
	switch api.Code {
	case "InvalidGrantException", "ExpiredTokenException":
		return fmt.Errorf("%s: the sign-in is no longer valid (%w): run the command again to sign in", op, err)
	case "InvalidClientException", "UnauthorizedClientException":
		return fmt.Errorf("%s: Identity Center no longer accepts this computer's registration (%w); it was cleared: run the command again", op, err)
	case "AccessDeniedException":
		return fmt.Errorf("%s: access denied (%w): ask your administrator whether your user may sign in to the AWS access portal", op, err)
	case "InvalidRequestException":
		return fmt.Errorf("%s: AWS refused the request (%w): your config.json may not match the Identity Center instance (start URL, Region); ask your administrator for a new package", op, err)
	}
	return fmt.Errorf("%s failed (%w): AWS may be having trouble; try again in a few minutes", op, err)
}
