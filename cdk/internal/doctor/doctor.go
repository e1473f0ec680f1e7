// Package doctor is the platform team's doctor (ccwb doctor): one check per link of a
// deployment, from the settings to the stacks, the identity provider, IAM, Bedrock model
// access, the collector and the quota's invocation logging, each saying what it found and
// the fix (docs/platform/doctor.md). The AWS calls go through one small interface each, so
// the checks run against fakes in tests.
package doctor

import (
	"context"
	"crypto/x509"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/bedrock"

	"ccwb.dev/cdk/internal/preflight"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/internal/stackstatus"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/client/doctor"
	report "ccwb.dev/contract/doctor"
)

// Bedrock is the Bedrock call of the model-access check (a *bedrock.Client satisfies it).
type Bedrock interface {
	GetFoundationModelAvailability(ctx context.Context, in *bedrock.GetFoundationModelAvailabilityInput, optFns ...func(*bedrock.Options)) (*bedrock.GetFoundationModelAvailabilityOutput, error)
}

// Env is what the checks use: the deployment, the AWS clients, the outputs file, HTTP.
type Env struct {
	// Settings is the loaded deployment, or nil with SettingsErr saying why.
	Settings    *settings.Deployment
	SettingsErr error
	// OutputsPath and Outputs are the outputs file (Outputs nil when it is missing).
	OutputsPath    string
	Outputs        stackoutputs.Outputs
	CloudFormation stackstatus.API
	IAM            preflight.IAM
	// Bedrock returns the client of a Region.
	Bedrock func(region string) Bedrock
	// Logging returns the clients of the quota's invocation-logging check in a Region.
	Logging preflight.Clients
	HTTP    *http.Client
	Roots   *x509.CertPool // nil: the system's
	Now     func() time.Time
}

// Run runs every check, the settings first: without valid settings the others are skipped.
// The stacks come next, alone: the checks after them read what the stacks check found.
func Run(ctx context.Context, e Env) []report.Result {
	var (
		mu       sync.Mutex
		deployed *stackstatus.Report // nil when the stacks could not be described in time
	)
	stacks := doctor.Check{Name: "stacks", Run: func(ctx context.Context) doctor.Result {
		rep, res := stacksCheck(ctx, e)
		mu.Lock()
		defer mu.Unlock()
		deployed = rep
		return res
	}}
	rest := []doctor.Check{
		{Name: "outputs file", Run: func(context.Context) doctor.Result { return outputsCheck(e, deployed) }},
		{Name: "identity provider", Run: func(ctx context.Context) doctor.Result { return discoveryCheck(ctx, e) }},
		{Name: "oidc provider client ids", Run: func(ctx context.Context) doctor.Result { return clientIDsCheck(ctx, e, deployed) }},
		{Name: "bedrock model access", Run: func(ctx context.Context) doctor.Result { return modelAccessCheck(ctx, e) }},
		{Name: "collector", Run: func(ctx context.Context) doctor.Result { return collectorCheck(ctx, e, deployed) }},
		{Name: "quota invocation logging", Run: func(ctx context.Context) doctor.Result { return invocationLoggingCheck(ctx, e) }},
	}
	out := doctor.Run(ctx, []doctor.Check{{Name: "settings", Run: func(context.Context) doctor.Result { return settingsCheck(e) }}})
	if e.Settings == nil {
		for _, c := range append([]doctor.Check{stacks}, rest...) {
			out = append(out, report.Result{Check: c.Name, Status: report.Skip, Detail: "no valid settings"})
		}
		return out
	}
	out = append(out, doctor.Run(ctx, []doctor.Check{stacks})...)
	mu.Lock() // a stacks check still running after its time is up must not write deployed now
	defer mu.Unlock()
	return append(out, doctor.Run(ctx, rest)...)
}

func settingsCheck(e Env) doctor.Result {
	if e.Settings == nil {
		return doctor.Fail("fix the fields the message names, or re-run `ccwb init`", "%v", e.SettingsErr)
	}
	return doctor.Pass("deployment %s in %s is valid", e.Settings.Name, e.Settings.Region)
}
