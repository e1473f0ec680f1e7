// Package chain assembles the credential process for one profile: where its config and
// cache live, and how the credential sources compose (cache → lock → federation → cached ID
// token → refresh or browser login).
package chain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/federation"
	"ccwb.dev/client/internal/lock"
	"ccwb.dev/client/internal/oidclogin"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/provider"
)

// ConfigDirName is the folder in the user's home that holds config.json.
const ConfigDirName = "claude-code-with-bedrock"

// ConfigPaths lists where config.json is looked for, in order: beside the binary, then
// ~/claude-code-with-bedrock/.
func ConfigPaths() []string {
	var paths []string
	if exe, err := os.Executable(); err == nil {
		paths = append(paths, filepath.Join(filepath.Dir(exe), "config.json"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		paths = append(paths, filepath.Join(home, ConfigDirName, "config.json"))
	}
	return paths
}

// LoadConfig reads the first config.json of ConfigPaths.
func LoadConfig() (*config.File, string, error) {
	paths := ConfigPaths()
	for _, p := range paths {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, p, fmt.Errorf("open config %s: %w", p, err)
		}
		defer f.Close()
		cfg, err := config.Parse(f)
		if err != nil {
			return nil, p, fmt.Errorf("config %s: %w\nAsk your administrator for a fresh package, or fix the file", p, err)
		}
		return cfg, p, nil
	}
	return nil, "", fmt.Errorf("no config.json found (looked in %s): install the package your administrator gave you", strings.Join(paths, " and "))
}

// CacheRoot is the directory of session files and lock files: <user cache dir>/ccwb.
func CacheRoot() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache directory: %w", err)
	}
	return filepath.Join(dir, "ccwb"), nil
}

// Options are what the command line and environment add to a profile.
type Options struct {
	Stderr       io.Writer
	LoginTimeout time.Duration
	Endpoints    federation.Endpoints
}

// EndpointsFromEnv reads the standard AWS endpoint overrides (AWS_ENDPOINT_URL_STS,
// AWS_ENDPOINT_URL_COGNITO_IDENTITY, AWS_ENDPOINT_URL) without loading any AWS config.
func EndpointsFromEnv() federation.Endpoints {
	all := os.Getenv("AWS_ENDPOINT_URL")
	pick := func(name string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return all
	}
	return federation.Endpoints{STS: pick("AWS_ENDPOINT_URL_STS"), CognitoIdentity: pick("AWS_ENDPOINT_URL_COGNITO_IDENTITY")}
}

// Profile is one profile's credential process, assembled.
type Profile struct {
	Name        string
	Config      config.Profile
	Session     *cache.Session
	Login       *oidclogin.Client
	Tokens      *cache.TokenCache       // ID token: cache, then refresh or browser login
	Credentials *cache.CredentialsCache // AWS credentials: cache, lock, federation
	LockFile    string
}

// New wires a profile. Nothing here touches the network or the keyring yet.
func New(name string, p config.Profile, o Options) (*Profile, error) {
	root, err := CacheRoot()
	if err != nil {
		return nil, err
	}
	safe := fileName(name)
	files := cache.NewFileStore(filepath.Join(root, safe))
	var store cache.Store = files
	if p.CredentialStorage == config.StorageKeyring {
		store = &cache.Fallback{Primary: cache.NewKeyringStore(name), Secondary: files, Warn: o.Stderr}
	}
	session := &cache.Session{Store: store, Warn: o.Stderr}
	lockFile := filepath.Join(root, safe+".lock")
	locker := func(ctx context.Context) (func(), error) { return lock.Acquire(ctx, lockFile) }

	login := &oidclogin.Client{
		Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Type: provider.Type(p.ProviderType),
		Port: p.Port(), Timeout: o.LoginTimeout, Stderr: o.Stderr,
		TelemetryAudience: p.TelemetryAudience, TelemetryScope: p.TelemetryScope,
	}
	tokens := &cache.TokenCache{Session: session, Next: login} // runs under the credentials lock
	creds := &cache.CredentialsCache{
		Session: session,
		Lock:    locker,
		Next:    &federation.Provider{Profile: p, Tokens: tokens, Endpoints: o.Endpoints, Stderr: o.Stderr},
	}
	return &Profile{Name: name, Config: p, Session: session, Login: login, Tokens: tokens, Credentials: creds, LockFile: lockFile}, nil
}

// IDToken returns a valid ID token on its own (for --show-claims), taking the profile lock
// when it must refresh or log in.
func (p *Profile) IDToken(ctx context.Context) (string, error) {
	return p.locked(false).IDToken(ctx)
}

// MonitoringToken returns the otel-helper's bearer token: the telemetry access token when
// the profile has a telemetry audience (never the ID token then), else the ID token.
func (p *Profile) MonitoringToken(ctx context.Context) (string, error) {
	if p.Config.TelemetryAudience == "" {
		return p.IDToken(ctx)
	}
	t, err := p.locked(true).Tokens(ctx)
	if err != nil {
		return "", err
	}
	if t.AccessToken == "" || !t.AccessExpiry.After(time.Now()) {
		return "", fmt.Errorf("the identity provider gave no access token for the telemetry audience %s: ask your administrator to check identity_provider.telemetry_audience and telemetry_scope against the identity provider's set-up", p.Config.TelemetryAudience)
	}
	return t.AccessToken, nil
}

func (p *Profile) locked(needAccessToken bool) *cache.TokenCache {
	return &cache.TokenCache{Session: p.Session, Next: p.Login, NeedAccessToken: needAccessToken,
		Lock: func(ctx context.Context) (func(), error) { return lock.Acquire(ctx, p.LockFile) }}
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
