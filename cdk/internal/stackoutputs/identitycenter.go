package stackoutputs

import (
	"fmt"
	"strconv"
	"strings"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/signin"
)

// identityCenterProfile builds the profile of an identity-center deployment from its auth
// stack's outputs: the access portal, the account and the permission set to ask for.
func identityCenterProfile(d *settings.Deployment, authName string, auth map[string]string) (config.Profile, error) {
	var missing []string
	get := func(key string) string {
		v := strings.TrimSpace(auth[key])
		if v == "" {
			missing = append(missing, key)
		}
		return v
	}
	p := config.Profile{
		ProviderType: get(outputs.ProviderType),
		IdentityCenter: &config.IdentityCenter{
			StartURL: get(outputs.IdentityCenterStartURL), Region: get(outputs.IdentityCenterRegion),
			AccountID: get(outputs.IdentityCenterAccountID), RoleName: get(outputs.PermissionSetName),
		},
		Region:            get(outputs.Region),
		CredentialStorage: d.Client.CredentialStorage,
	}
	p.Login = login(d)
	seconds := get(outputs.SessionDurationSeconds)
	if len(missing) > 0 {
		return config.Profile{}, fmt.Errorf("stack %s lacks the outputs %s: redeploy it with `ccwb deploy`", authName, strings.Join(missing, ", "))
	}
	n, err := strconv.Atoi(seconds)
	if err != nil {
		return config.Profile{}, fmt.Errorf("stack %s output %s = %q is not a number of seconds", authName, outputs.SessionDurationSeconds, seconds)
	}
	p.SessionDurationSeconds = n
	return p, nil
}

// login is the profile's login setting: left out when it is the default (auto).
func login(d *settings.Deployment) string {
	if d.Client.Login == signin.Auto {
		return ""
	}
	return d.Client.Login
}
