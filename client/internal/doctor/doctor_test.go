package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ccwb.dev/client/doctor/doctortest"
	"ccwb.dev/client/internal/cache"
	"ccwb.dev/client/internal/store"
	"ccwb.dev/contract/config"
	report "ccwb.dev/contract/doctor"
)

// world is a machine where every check passes; each table row breaks one link of it.
type world struct {
	home, wd       string
	env            map[string]string
	profile        config.Profile
	idpSkew        time.Duration
	collectorCode  int
	collectorCert  *tls.Certificate
	listenErr      error
	keyringErr     error
	noCredentials  bool
	awsConfig      string
	claudeSettings map[string]any
	project        string // a project .claude/settings.json, "" for none
	brokenConfig   bool
}

const exe = "/opt/ccwb/credential-process"

func healthy(t *testing.T) *world {
	home := t.TempDir()
	w := &world{
		home: home, wd: filepath.Join(home, "project"), collectorCode: http.StatusUnauthorized,
		env: map[string]string{"AWS_CONFIG_FILE": filepath.Join(home, "aws-config"), "CLAUDE_CONFIG_DIR": filepath.Join(home, "claude")},
		profile: config.Profile{ProviderType: "okta", ClientID: "0oa1", FederationType: "direct", RoleARN: "arn:aws:iam::123456789012:role/r",
			Region: "us-east-1", SessionDurationSeconds: 28800, CredentialStorage: config.StorageKeyring, CallbackPort: 8400},
		awsConfig: "[profile test]\ncredential_process = " + exe + " --profile test\nregion = us-east-1\n",
		claudeSettings: map[string]any{"env": map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_PROFILE": "test", "AWS_REGION": "us-east-1", "CCWB_SIGN_IN": "defer"},
			"awsAuthRefresh": exe + " --profile test --refresh-if-needed"},
	}
	return w
}

// run builds the world's files and servers and runs the doctor.
func (w *world) run(t *testing.T) map[string]report.Result {
	idp := httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Date", time.Now().Add(w.idpSkew).UTC().Format(http.TimeFormat))
		_ = json.NewEncoder(rw).Encode(map[string]string{"issuer": "x"})
	}))
	defer idp.Close()
	collector := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { rw.WriteHeader(w.collectorCode) }))
	roots := x509.NewCertPool()
	if w.collectorCert != nil {
		collector.TLS = &tls.Config{Certificates: []tls.Certificate{*w.collectorCert}}
		roots.AddCert(w.collectorCert.Leaf)
	}
	collector.StartTLS()
	defer collector.Close()
	if w.collectorCert == nil {
		roots.AddCert(collector.Certificate())
	}
	roots.AddCert(idp.Certificate())
	p := w.profile
	p.Issuer, p.OTelEndpoint = idp.URL, collector.URL
	write(t, w.env["AWS_CONFIG_FILE"], w.awsConfig)
	b, _ := json.Marshal(w.claudeSettings)
	write(t, filepath.Join(w.env["CLAUDE_CONFIG_DIR"], "settings.json"), string(b))
	if w.project != "" {
		write(t, filepath.Join(w.wd, ".claude", "settings.json"), w.project)
	}
	sess := &cache.Session{Store: store.Files{Dir: filepath.Join(w.home, "cache")}}
	if !w.noCredentials {
		_ = sess.SaveCredentials(aws.Credentials{AccessKeyID: "ASIA1", SecretAccessKey: "s", SessionToken: "t", Expires: time.Now().Add(time.Hour)})
	}
	e := Env{
		Getenv: func(k string) string { return w.env[k] }, Exe: exe, WD: w.wd,
		HTTP: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}, Roots: roots,
		LoadConfig: func() (*config.File, string, error) {
			f := &config.File{Profiles: map[string]config.Profile{"test": p}}
			if w.brokenConfig {
				return nil, "", errors.New("config /x/config.json: invalid config")
			}
			return f, filepath.Join(w.home, "config.json"), f.Validate()
		},
		Session: func(string, config.Profile) (*cache.Session, error) { return sess, nil },
		Listen: func(string, string) (net.Listener, error) {
			if w.listenErr != nil {
				return nil, w.listenErr
			}
			return net.Listen("tcp", "127.0.0.1:0")
		},
		Keyring: func() error { return w.keyringErr },
		Now:     time.Now,
	}
	results, _ := Run(context.Background(), "", e)
	out := map[string]report.Result{}
	for _, r := range results {
		out[r.Check] = r
	}
	return out
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// expiringCert is a certificate for 127.0.0.1 that expires in d.

// Each row breaks one link; exactly that check reports it, with its fix.
func TestEachCheckFailsForItsOwnCause(t *testing.T) {
	for _, tc := range []struct {
		name   string
		breaks func(t *testing.T, w *world)
		check  string
		want   report.Status
		fix    string
	}{
		{"healthy", func(*testing.T, *world) {}, "", report.Pass, ""},
		{"config unreadable", func(_ *testing.T, w *world) { w.brokenConfig = true }, "config", report.Fail, "install the package"},
		{"clock 10 minutes off", func(_ *testing.T, w *world) { w.idpSkew = 10 * time.Minute }, "clock", report.Fail, "network time"},
		{"clock 2 minutes off", func(_ *testing.T, w *world) { w.idpSkew = -2 * time.Minute }, "clock", report.Warn, "network time"},
		{"callback port taken", func(_ *testing.T, w *world) { w.listenErr = errors.New("bind: address already in use") }, "callback port", report.Fail, "close the program that listens on port 8400"},
		{"keyring locked", func(_ *testing.T, w *world) { w.keyringErr = errors.New("the keyring is locked") }, "keyring", report.Warn, "unlock the keyring"},
		{"aws profile runs another binary", func(_ *testing.T, w *world) {
			w.awsConfig = "[profile test]\ncredential_process = /old/credential-process --profile test\n"
		}, "aws profile", report.Fail, "installer again"},
		{"aws profile missing", func(_ *testing.T, w *world) { w.awsConfig = "[profile other]\nregion = x\n" }, "aws profile", report.Fail, "installer again"},
		{"claude settings without awsAuthRefresh", func(_ *testing.T, w *world) { delete(w.claudeSettings, "awsAuthRefresh") }, "claude code settings", report.Fail, "installer again"},
		{"project overrides the credentials", func(_ *testing.T, w *world) {
			w.project = `{"awsCredentialExport": "./creds.sh", "env": {"AWS_PROFILE": "prod"}}`
		}, "claude code settings", report.Warn, "remove those keys"},
		{"collector takes data without a token", func(_ *testing.T, w *world) { w.collectorCode = http.StatusOK }, "otlp endpoint", report.Fail, "authenticator"},
		{"no healthy collector", func(_ *testing.T, w *world) { w.collectorCode = http.StatusServiceUnavailable }, "otlp endpoint", report.Fail, "target health"},
		{"certificate about to expire", func(t *testing.T, w *world) { w.collectorCert = doctortest.Certificate(t, 3*24*time.Hour) }, "otlp endpoint", report.Fail, "renewal"},
		{"certificate expires this month", func(t *testing.T, w *world) { w.collectorCert = doctortest.Certificate(t, 20*24*time.Hour) }, "otlp endpoint", report.Warn, "renewal"},
		{"nothing cached", func(_ *testing.T, w *world) { w.noCredentials = true }, "session", report.Warn, "--refresh-if-needed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := healthy(t)
			tc.breaks(t, w)
			results := w.run(t)
			if len(results) != 8 {
				t.Fatalf("%d checks, want 8: %v", len(results), results)
			}
			doctortest.OnlyBroken(t, results, tc.check, "config", tc.want, tc.fix)
		})
	}
}
