// Package signin names how the end-user binaries sign in and who may show the prompts: the
// login methods of a profile, the environment that overrides them, and the contract between
// the package's Claude Code settings (awsAuthRefresh, CCWB_SIGN_IN) and the credential
// process (docs/platform/claude-code.md#sign-in-through-claude-code).
package signin

import "time"

// Login methods of a profile (config.json "login", settings client.login).
const (
	// Browser is the authorization code flow with PKCE through a loopback redirect.
	Browser = "browser"
	// Device is the device authorization grant (RFC 8628): a URL and a code the user enters
	// on any device with a browser.
	Device = "device"
	// Auto picks Device on an SSH or headless session and Browser otherwise, and says why.
	Auto = "auto"
)

// Methods lists the login methods, in the order docs show them.
var Methods = []string{Browser, Device, Auto}

// Environment the credential process reads.
const (
	// EnvLogin overrides the profile's login method (browser, device or auto), like --login.
	EnvLogin = "CCWB_LOGIN"
	// EnvSignIn set to Defer keeps the credential process from signing in interactively:
	// it answers from its cache or a silent refresh, and otherwise fails at once saying that
	// the sign-in is awsAuthRefresh's. The package's Claude Code settings set it, since
	// Claude Code runs credential_process without showing anything it prints.
	EnvSignIn = "CCWB_SIGN_IN"
	// Defer is the value of EnvSignIn that defers interactive sign-in to awsAuthRefresh.
	Defer = "defer"
)

// RefreshFlag is the credential-process flag Claude Code's awsAuthRefresh runs: sign in
// when needed, with the prompts on stdout, which Claude Code shows.
const RefreshFlag = "--refresh-if-needed"

// RefreshCommand is the command line that signs in for profile with the credential-process
// binary exe: the package's awsAuthRefresh setting, and what a deferred sign-in tells the user
// to run in a terminal.
func RefreshCommand(exe, profile string) string {
	return exe + " --profile " + profile + " " + RefreshFlag
}

// AuthRefreshTimeout bounds one --refresh-if-needed run: below the 3 minutes after which
// Claude Code kills awsAuthRefresh (since 2.1.41), so the user reads our message instead of
// its timeout.
const AuthRefreshTimeout = 170 * time.Second

// DeferredLockWait bounds how long a deferred credential process waits for the profile's
// lock (held by a sign-in in progress): well below the 60 s Claude Code gives its
// credential chain (CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS).
const DeferredLockWait = 20 * time.Second
