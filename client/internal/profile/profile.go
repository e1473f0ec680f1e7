// Package profile assembles one profile's credential process: where its cache and lock live,
// and how its credential sources compose, the way the AWS SDK's providers do (see New).
package profile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/federation"
	"ccwb.dev/client/internal/lock"
	"ccwb.dev/client/internal/oidclogin"
	"ccwb.dev/client/internal/quotagate"
	"ccwb.dev/client/internal/store"
	"ccwb.dev/client/internal/token"
	"ccwb.dev/client/internal/upgrade"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/provider"
)

// Options are what the command line and environment add to a profile.
type Options struct {
	Stderr       io.Writer
	LoginTimeout time.Duration
	Endpoints    Endpoints
	// Version is the running credential process's (the upgrade notice compares it).
	Version string
	SignIn  SignIn
}

// SignIn is how an interactive sign-in may happen in this run.
type SignIn struct {
	// Login overrides the profile's login method (--login, CCWB_LOGIN); "" keeps it.
	Login string
	// Prompt is where the URL and the device code go; default Stderr.
	Prompt io.Writer
	// Deferred, when set, is the error an interactive sign-in gives instead (CCWB_SIGN_IN=defer).
	Deferred error
	// LockWait, when set, bounds the wait for the profile's lock.
	LockWait time.Duration
}

// method is the login method the profile uses in this run.
func (s SignIn) method(p config.Profile) string {
	if s.Login != "" {
		return s.Login
	}
	return p.LoginMethod()
}

// locker is the profile's lock file, bounded when LockWait says so.
func (s SignIn) locker(l lock.File) lock.Locker {
	if s.LockWait > 0 {
		return lock.Bounded{Locker: l, Wait: s.LockWait}
	}
	return l
}

// Endpoints are the AWS endpoint overrides of this run (tests, VPC endpoints); "" is AWS's own.
type Endpoints struct {
	STS, CognitoIdentity string // federation
	SSOOIDC, SSOPortal   string // Identity Center (package sso)
	S3                   string // the upgrade check's latest.json
}

// EndpointsFromEnv reads the standard AWS endpoint overrides without loading any AWS config:
// AWS_ENDPOINT_URL_<SERVICE> (STS, COGNITO_IDENTITY, SSO_OIDC, SSO, S3), else AWS_ENDPOINT_URL
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
func EndpointsFromEnv() Endpoints {
	all := os.Getenv("AWS_ENDPOINT_URL")
	pick := func(service string) string {
		if v := os.Getenv("AWS_ENDPOINT_URL_" + service); v != "" {
			return v
		}
		return all
	}
	return Endpoints{STS: pick("STS"), CognitoIdentity: pick("COGNITO_IDENTITY"), SSOOIDC: pick("SSO_OIDC"), SSOPortal: pick("SSO"), S3: pick("S3")}
}

// Profile is one profile's credential process, assembled.
type Profile struct {
	Name        string
	Config      config.Profile
	Session     *cache.Session
	Lock        lock.File
	Login       *oidclogin.Client       // nil for identity-center profiles, which have no ID token
	Credentials *cache.CredentialsCache // AWS credentials: cache, lock, federation, ID token
	locker      lock.Locker             // Lock, bounded when the sign-in is deferred
}

// New assembles a profile; nothing here touches the network or the keyring yet. The AWS
// credentials compose, outermost first:
//
//	cached credentials → profile lock → [upgrade check →] [quota check →] federation → cached ID token → refresh or browser sign-in
//
// The quota check (when config.json has quota_url) uses the same ID-token source, so it
// costs no second sign-in, and sits below the lock: the cached path never reaches it, nor
// the upgrade check (when config.json has upgrade), which runs after fresh credentials only.
// The ID-token cache inside runs under the credentials cache's lock, so it is given
// lock.Held; the profile's other token consumers take the lock themselves (Tokens).
func New(name string, p config.Profile, o Options) (*Profile, error) {
	root, err := CacheRoot()
	if err != nil {
		return nil, err
	}
	session := openSession(root, name, p, o.Stderr)
	profileLock := lock.File(filepath.Join(root, fileName(name)+".lock"))
	if p.ProviderType == string(provider.IdentityCenter) {
		return newIdentityCenter(name, p, o, session, profileLock), nil
	}
	login := &oidclogin.Client{
		Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Type: provider.Type(p.ProviderType),
		Port: p.Port(), Timeout: o.LoginTimeout, Stderr: o.Stderr,
		TelemetryAudience: p.TelemetryAudience, TelemetryScope: p.TelemetryScope,
		Method: o.SignIn.method(p), Prompt: o.SignIn.Prompt, Deferred: o.SignIn.Deferred,
	}
	idTokens := &cache.TokenCache{Session: session, Lock: lock.Held, Next: login, Need: token.IDToken}
	var fresh aws.CredentialsProvider = &federation.Provider{Profile: p, Endpoints: federation.Endpoints{STS: o.Endpoints.STS, CognitoIdentity: o.Endpoints.CognitoIdentity}, Stderr: o.Stderr, Tokens: idTokens}
	if p.QuotaURL != "" {
		fresh = &quotagate.Gate{URL: p.QuotaURL, FailClosed: p.FailClosed(), Tokens: idTokens, Next: fresh, Stderr: o.Stderr}
	}
	upgradeState := UpgradeStatePath(root, name)
	if c := upgrade.New(p.Upgrade, o.Version, upgradeState, o.Endpoints.S3, o.Stderr); c != nil {
		fresh = &upgrade.Provider{Next: fresh, Checker: c} // after fresh credentials only
		login.SuccessNote = func() string { s, _ := upgrade.Read(upgradeState); return s.Notice(o.Version) }
	}
	locker := o.SignIn.locker(profileLock)
	credentials := &cache.CredentialsCache{Session: session, Lock: locker, Next: fresh}
	return &Profile{Name: name, Config: p, Session: session, Lock: profileLock, Login: login, Credentials: credentials, locker: locker}, nil
}

// UpgradeStatePath is the profile's upgrade-check state file under the cache root.
func UpgradeStatePath(root, name string) string {
	return filepath.Join(root, fileName(name)+".upgrade.json")
}

// Tokens is the profile's source of the token need names, for consumers outside the
// credentials cache (--show-claims, --get-monitoring-token): it takes the profile lock
// itself when it must refresh or sign in.
func (p *Profile) Tokens(need token.Need) token.Source {
	return &cache.TokenCache{Session: p.Session, Lock: p.locker, Next: p.Login, Need: need}
}

// Session opens a profile's cache alone, for a reader that needs nothing else: the
// otel-helper, which links no sign-in or federation code that way.
func Session(name string, p config.Profile, warn io.Writer) (*cache.Session, error) {
	root, err := CacheRoot()
	if err != nil {
		return nil, err
	}
	return openSession(root, name, p, warn), nil
}

// openSession is a profile's cache under root: its session files, or the keyring with the
// files as fallback.
func openSession(root, name string, p config.Profile, warn io.Writer) *cache.Session {
	var s store.Store = store.Files{Dir: filepath.Join(root, fileName(name))}
	if p.CredentialStorage == config.StorageKeyring {
		s = &store.Fallback{Primary: store.NewKeyring(name), Secondary: s, Warn: warn}
	}
	return &cache.Session{Store: s, Warn: warn}
}

// fileName makes a profile name safe as a file name.
func fileName(name string) string {
	if name == "" || strings.HasPrefix(name, ".") {
		name = "_" + name
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}
