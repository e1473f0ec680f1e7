package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"ccwb.dev/cdk/internal/deployer"
	"ccwb.dev/cdk/internal/preflight"
	"ccwb.dev/cdk/internal/stackstatus"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/client/doctor"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/signin"
	"ccwb.dev/contract/stacks"
)

// stacksCheck: every stack of the deployment exists and is in a complete state (the status
// codes: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes).
func stacksCheck(ctx context.Context, e Env) (*stackstatus.Report, doctor.Result) {
	r, err := stackstatus.Check(ctx, e.CloudFormation, deployer.Stacks(e.Settings), e.OutputsPath, e.Outputs)
	if err != nil {
		return nil, doctor.Fail("check your AWS credentials (AWS_PROFILE) and that they may call cloudformation:DescribeStacks", "%v", err)
	}
	var missing, failed, busy []string
	for _, s := range r.Stacks {
		switch {
		case !s.Exists:
			missing = append(missing, s.Name)
		case strings.Contains(s.Status, "ROLLBACK") || strings.HasSuffix(s.Status, "_FAILED"):
			failed = append(failed, s.Name+" "+s.Status)
		case strings.HasSuffix(s.Status, "_IN_PROGRESS"):
			busy = append(busy, s.Name+" "+s.Status)
		}
	}
	switch {
	case len(missing) > 0:
		return r, doctor.Fail("run `ccwb deploy`", "not deployed: %s", strings.Join(missing, ", "))
	case len(failed) > 0:
		return r, doctor.Fail("read the stack events in the CloudFormation console, fix the cause, and run `ccwb deploy` again", "%s", strings.Join(failed, ", "))
	case len(busy) > 0:
		return r, doctor.Warn("wait for the operation to finish, then run the doctor again", "%s", strings.Join(busy, ", "))
	}
	return r, doctor.Pass("%d stacks deployed and complete", len(r.Stacks))
}

// outputsCheck: the outputs file ccwb package reads holds what is deployed.
func outputsCheck(e Env, r *stackstatus.Report) doctor.Result {
	switch {
	case r == nil:
		return doctor.Skip("the stacks could not be described")
	case !r.OutputsCurrent:
		return doctor.Warn("run `ccwb deploy` (it writes the file), or `ccwb package --from-cloudformation`, before building packages", "%s: %s", e.OutputsPath, strings.Join(r.Differences, "; "))
	}
	return doctor.Pass("%s matches the deployed stacks", e.OutputsPath)
}

// discoveryCheck: the identity provider's discovery document is reachable, names the
// issuer the stacks trust byte for byte, and offers the device grant when users may use it.
func discoveryCheck(ctx context.Context, e Env) doctor.Result {
	d := e.Settings
	if d.UsesIdentityCenter() {
		return doctor.Skip("users sign in with IAM Identity Center")
	}
	_, issuer, err := d.Provider()
	if err != nil {
		return doctor.Fail("fix identity_provider.domain", "%v", err)
	}
	doc, err := doctor.Discover(ctx, e.HTTP, issuer)
	switch {
	case err != nil:
		return doctor.Fail("check identity_provider.domain, and that this network reaches the identity provider", "%v", err)
	case doc.Issuer != issuer:
		return doctor.Fail("set identity_provider.domain (and type) so that the issuer is "+doc.Issuer+", then `ccwb deploy` and `ccwb package`", "the discovery document names issuer %q, the settings give %q: STS and the client would refuse every token", doc.Issuer, issuer)
	case doc.JWKSURI == "":
		return doctor.Fail("check the identity provider's OpenID Connect configuration", "the discovery document has no jwks_uri")
	case doc.DeviceAuthorizationEndpoint == "" && d.Client.Login != signin.Browser:
		return doctor.Warn("enable the device authorization grant for the application at the identity provider, or set client.login to browser", "%s offers no device sign-in (no device_authorization_endpoint), but client.login is %s", issuer, d.Client.Login)
	}
	return doctor.Pass("%s publishes its discovery document with that issuer", issuer)
}

// clientIDsCheck: the IAM OIDC provider the stacks use lists the client (the preflight's rule).
func clientIDsCheck(ctx context.Context, e Env, r *stackstatus.Report) doctor.Result {
	d := *e.Settings
	if d.UsesIdentityCenter() {
		return doctor.Skip("users sign in with IAM Identity Center")
	}
	if r == nil {
		return doctor.Skip("the stacks could not be described")
	}
	d.Federation.ExistingOIDCProviderARN = r.Outputs(d.StackName(stacks.Auth))[outputs.OIDCProviderARN]
	if d.Federation.ExistingOIDCProviderARN == "" {
		return doctor.Skip("the auth stack has no %s output", outputs.OIDCProviderARN)
	}
	if err := preflight.ExistingOIDCProvider(ctx, e.IAM, &d); err != nil {
		return doctor.Fail("follow the message, then run the doctor again", "%v", err)
	}
	return doctor.Pass("%s lists the client %s", d.Federation.ExistingOIDCProviderARN, d.IdentityProvider.ClientID)
}

// modelAccessCheck asks Bedrock, in each source Region, whether the configured models are
// available to the account (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetFoundationModelAvailability.html).
func modelAccessCheck(ctx context.Context, e Env) doctor.Result {
	d := e.Settings
	var models []string
	for _, m := range []string{d.Bedrock.Model, d.Bedrock.SmallFastModel} {
		if m != "" && !slices.Contains(models, settings.FoundationModel(m)) {
			models = append(models, settings.FoundationModel(m))
		}
	}
	if len(models) == 0 {
		return doctor.Skip("bedrock.model is not set: Claude Code picks its default")
	}
	var fails, warns []string
	for _, region := range d.Bedrock.Regions {
		for _, m := range models {
			out, err := e.Bedrock(region).GetFoundationModelAvailability(ctx, &bedrock.GetFoundationModelAvailabilityInput{ModelId: aws.String(m)})
			if err != nil {
				fails = append(fails, fmt.Sprintf("%s in %s: %v", m, region, unwrap(err)))
				continue
			}
			f, w := availability(out)
			for _, p := range f {
				fails = append(fails, fmt.Sprintf("%s in %s: %s", m, region, p))
			}
			for _, p := range w {
				warns = append(warns, fmt.Sprintf("%s in %s: %s", m, region, p))
			}
		}
	}
	fix := "open the Bedrock console's model catalog in each Region named and request access (Anthropic models need the first-time use-case form): https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html"
	switch {
	case len(fails) > 0:
		return doctor.Fail(fix, "%s", strings.Join(fails, "; "))
	case len(warns) > 0:
		return doctor.Warn("wait for the access request to complete", "%s", strings.Join(warns, "; "))
	}
	return doctor.Pass("%s available in %s", strings.Join(models, ", "), strings.Join(d.Bedrock.Regions, ", "))
}

func availability(out *bedrock.GetFoundationModelAvailabilityOutput) (fails, warns []string) {
	if out.AuthorizationStatus == types.AuthorizationStatusNotAuthorized {
		fails = append(fails, "not authorized")
	}
	if out.EntitlementAvailability == types.EntitlementAvailabilityNotAvailable {
		fails = append(fails, "no entitlement")
	}
	if out.RegionAvailability == types.RegionAvailabilityNotAvailable {
		fails = append(fails, "not offered in this Region")
	}
	if a := out.AgreementAvailability; a != nil {
		switch a.Status {
		case types.AgreementStatusNotAvailable, types.AgreementStatusError:
			fails = append(fails, "agreement "+string(a.Status)+" "+aws.ToString(a.ErrorMessage))
		case types.AgreementStatusPending:
			warns = append(warns, "agreement pending")
		}
	}
	return fails, warns
}

func unwrap(err error) string {
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return err.Error()
}

// collectorCheck: the collector the monitoring stack outputs answers, requires a token, and
// has a certificate that is trusted and not about to expire.
func collectorCheck(ctx context.Context, e Env, r *stackstatus.Report) doctor.Result {
	d := e.Settings
	if !d.Monitoring.Enabled {
		return doctor.Skip("monitoring is off")
	}
	if r == nil {
		return doctor.Skip("the stacks could not be described")
	}
	endpoint := r.Outputs(d.StackName(stacks.Monitoring))[outputs.OTelEndpoint]
	if endpoint == "" {
		return doctor.Skip("the monitoring stack has no %s output", outputs.OTelEndpoint)
	}
	return doctor.Ingest(ctx, e.HTTP, endpoint, d.Monitoring.AllowPlainHTTP, e.Roots, e.Now())
}

// invocationLoggingCheck: every Region the quota meters has the model invocation logging
// its collector needs, by the rule `ccwb deploy` applies before the first stack (package
// preflight); a FAIL here is what the next deploy would refuse.
func invocationLoggingCheck(ctx context.Context, e Env) doctor.Result {
	d := e.Settings
	if !d.Quota.Enabled {
		return doctor.Skip("quota.enabled is off")
	}
	r := preflight.InvocationLogging(ctx, e.Logging, d, d.QuotaCollectors())
	switch {
	case len(r.Refused) > 0:
		return doctor.Fail("do what each message says (until then `ccwb deploy` refuses the quota stacks), then run the doctor again", "%s", lines(r.Refused))
	case len(r.Unchecked) > 0:
		return doctor.Warn("let these credentials call bedrock:GetModelInvocationLoggingConfiguration, logs:DescribeSubscriptionFilters and cloudformation:ListStackResources in each Region named, then run the doctor again", "could not check: %s", lines(r.Unchecked))
	}
	if d.Quota.InvocationLogging == settings.InvocationLoggingJoin {
		return doctor.Pass("model invocation logging in %s goes to the quota.existing_log_groups, each with the collector's subscription filter or a free slot for it", strings.Join(r.Regions, ", "))
	}
	return doctor.Pass("model invocation logging in %s is ccwb's own or not set up yet", strings.Join(r.Regions, ", "))
}

func lines(errs []error) string {
	s := make([]string, len(errs))
	for i, err := range errs {
		s[i] = err.Error()
	}
	return strings.Join(s, "; ")
}
