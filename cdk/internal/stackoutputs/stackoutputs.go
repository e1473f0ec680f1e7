// Package stackoutputs turns the deployed stacks' outputs into the end-user config.json
// (docs/architecture.md, "Stack outputs"): it reads the file `cdk deploy --outputs-file` writes (or takes outputs from
// DescribeStacks) and maps the output names of contract/outputs onto config.Profile.
package stackoutputs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"ccwb.dev/contract/strictjson"
)

// Outputs are stack outputs by stack name, then output key: the shape of the
// `cdk deploy --outputs-file` JSON.
type Outputs map[string]map[string]string

// Parse decodes an outputs file.
func Parse(data []byte) (Outputs, error) {
	var o Outputs
	if err := strictjson.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("parse stack outputs: %w (expected {\"<stack>\": {\"<output>\": \"<value>\"}} as `cdk deploy --outputs-file` writes it)", err)
	}
	return o, nil
}

// Read reads an outputs file.
func Read(path string) (Outputs, error) {
	o, found, err := read(path)
	if err == nil && !found {
		return nil, fmt.Errorf("read stack outputs: %s does not exist; run `ccwb deploy` (it writes it), or pass --from-cloudformation to read the deployed stacks", path)
	}
	return o, err
}

// ReadIfExists reads an outputs file; nil, and no error, when there is none (nothing
// deployed yet, or its outputs not collected).
func ReadIfExists(path string) (Outputs, error) {
	o, _, err := read(path)
	return o, err
}

func read(path string) (o Outputs, found bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, fmt.Errorf("read stack outputs: %w", err)
	}
	if o, err = Parse(data); err != nil {
		return nil, true, fmt.Errorf("%s: %w", path, err)
	}
	return o, true, nil
}

// Profile builds the end-user profile of a deployment from its stacks' outputs. The
// outputs are the truth for what was deployed; the settings add only what no stack
// outputs (credential storage, callback port, the telemetry audience and whether plain http
// is allowed). Missing outputs are listed together.
func Profile(d *settings.Deployment, o Outputs) (config.Profile, error) {
	authName := d.StackName(stacks.Auth)
	auth, ok := o[authName]
	if !ok {
		return config.Profile{}, fmt.Errorf("stack outputs have no %s stack (found: %s): deploy it with `ccwb deploy`", authName, strings.Join(o.stacks(), ", "))
	}
	if d.UsesIdentityCenter() {
		return identityCenterProfile(d, authName, auth)
	}
	var missing []string
	get := func(stack map[string]string, key string, required bool) string {
		v := strings.TrimSpace(stack[key])
		if v == "" && required {
			missing = append(missing, key)
		}
		return v
	}
	p := config.Profile{
		ProviderType:      get(auth, outputs.ProviderType, true),
		Issuer:            get(auth, outputs.IssuerURL, true),
		ClientID:          get(auth, outputs.ClientID, true),
		ClientSecret:      d.IdentityProvider.ClientSecret,
		FederationType:    get(auth, outputs.FederationType, true),
		RoleARN:           get(auth, outputs.RoleARN, true),
		Region:            get(auth, outputs.Region, true),
		CredentialStorage: d.Client.CredentialStorage,
		CallbackPort:      d.Client.CallbackPort,
	}
	p.Login = login(d)
	if d.Monitoring.Enabled {
		p.TelemetryAudience, p.TelemetryScope = d.IdentityProvider.TelemetryAudience, d.IdentityProvider.TelemetryScope
	}
	p.IdentityPoolID = get(auth, outputs.IdentityPoolID, p.FederationType == federation.Cognito)
	if s := get(auth, outputs.SessionDurationSeconds, true); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return config.Profile{}, fmt.Errorf("stack %s output %s = %q is not a number of seconds", authName, outputs.SessionDurationSeconds, s)
		}
		p.SessionDurationSeconds = n
	}
	if len(missing) > 0 {
		return config.Profile{}, fmt.Errorf("stack %s lacks the outputs %s: redeploy it with `ccwb deploy`", authName, strings.Join(missing, ", "))
	}
	if d.Monitoring.Enabled {
		monName := d.StackName(stacks.Monitoring)
		mon, ok := o[monName]
		if !ok {
			return config.Profile{}, fmt.Errorf("monitoring is enabled but the stack outputs have no %s stack: deploy it with `ccwb deploy`, or turn monitoring off", monName)
		}
		if p.OTelEndpoint = get(mon, outputs.OTelEndpoint, true); p.OTelEndpoint == "" {
			return config.Profile{}, fmt.Errorf("stack %s lacks the output %s: redeploy it with `ccwb deploy`", monName, outputs.OTelEndpoint)
		}
		// The otel-helper sends its token over plain http only where the deployment said so.
		p.OTelAllowPlainHTTP = d.Monitoring.AllowPlainHTTP && strings.HasPrefix(p.OTelEndpoint, "http://")
	}
	if err := quotaProfile(d, o, &p); err != nil {
		return config.Profile{}, err
	}
	var err error
	if p.Upgrade, err = upgrade(d, o); err != nil {
		return config.Profile{}, err
	}
	return p, nil
}

// ConfigFile is the end-user config.json of a deployment: one profile, named by the
// settings' client profile name, which is also the default.
func ConfigFile(d *settings.Deployment, o Outputs) (*config.File, error) {
	p, err := Profile(d, o)
	if err != nil {
		return nil, err
	}
	f := &config.File{DefaultProfile: d.Client.ProfileName, Profiles: map[string]config.Profile{d.Client.ProfileName: p}}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("the stack outputs give an unusable end-user config: %w", err)
	}
	return f, nil
}

func (o Outputs) stacks() []string {
	names := make([]string, 0, len(o))
	for n := range o {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return []string{"none"}
	}
	return names
}
