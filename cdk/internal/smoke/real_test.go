package smoke

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"

	"ccwb.dev/client/idptest"
	"ccwb.dev/client/packager/crossbuild"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/project"
	"ccwb.dev/contract/testenv"
)

func TestMain(m *testing.M) {
	idptest.BrowserMain() // this test binary is also the scripted browser
	os.Exit(m.Run())
}

var credentialRe = regexp.MustCompile(`Credential=([A-Z0-9]+)/`)

// `ccwb test` with the real credential-process: it signs in at the in-process OpenID
// Provider (scripted browser), federates at the fake STS, and Bedrock accepts requests
// signed with exactly the session STS issued.
func TestRunWithTheRealCredentialProcess(t *testing.T) {
	testenv.Slow(t, "builds the credential-process")
	root, err := project.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	clientDir := filepath.Join(root, "client")
	build := t.TempDir()
	host := crossbuild.Target{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
	if err := crossbuild.Build(context.Background(), crossbuild.Request{
		ModuleDir: clientDir, Commands: []string{"./cmd/credential-process"}, Targets: []crossbuild.Target{host}, OutDir: build,
	}); err != nil {
		t.Fatal(err)
	}

	idp := idptest.NewProvider(t, idptest.Options{})
	fakeAWS := idptest.NewAWS(t, idptest.AWSOptions{Provider: idp})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	// A package as `ccwb package` lays it out, for this machine only.
	pkg := t.TempDir()
	bin := filepath.Join(pkg, "bin", Platform(runtime.GOOS, runtime.GOARCH))
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, _ := os.ReadFile(filepath.Join(build, host.String(), host.Exe("credential-process")))
	if err := os.WriteFile(filepath.Join(bin, host.Exe("credential-process")), exe, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := &config.File{Profiles: map[string]config.Profile{"ClaudeCode": {
		ProviderType: "generic", Issuer: idp.Issuer, ClientID: idp.ClientID, FederationType: federation.Direct,
		RoleARN: "arn:aws:iam::123456789012:role/BedrockUsers", Region: "us-east-1", SessionDurationSeconds: 3600,
		CredentialStorage: config.StorageSession, CallbackPort: port,
	}}}
	data, _ := cfg.Marshal()
	if err := os.WriteFile(filepath.Join(pkg, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}

	bedrock := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := credentialRe.FindStringSubmatch(r.Header.Get("Authorization"))
		if m == nil {
			http.Error(w, `{"message": "unsigned"}`, 403)
			return
		}
		s, ok := fakeAWS.Session(m[1])
		if !ok || s.SessionToken != r.Header.Get("X-Amz-Security-Token") {
			http.Error(w, `{"message": "The security token included in the request is invalid."}`, 403)
			return
		}
		fmt.Fprint(w, `{"modelSummaries": [{"modelId": "anthropic.claude-sonnet-4-5-20250929-v1:0"}]}`)
	}))
	defer bedrock.Close()

	home := t.TempDir()
	env := append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"SSL_CERT_FILE=" + idp.CAFile, "AWS_ENDPOINT_URL_STS=" + fakeAWS.URL,
	}, idp.BrowserEnv(idptest.DefaultUser, idptest.BrowserLogin)...)
	r, err := Run(context.Background(), Options{
		PackageDir: pkg, Profile: "ClaudeCode", Region: "us-east-1", Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
		Env: env, BedrockEndpoint: bedrock.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || len(r.Steps) != 2 {
		t.Fatalf("report: %+v", r.Steps)
	}
	if idp.Logins.Load() != 1 || fakeAWS.Calls("AssumeRoleWithWebIdentity") != 1 {
		t.Errorf("logins %d, STS calls %d; want one each", idp.Logins.Load(), fakeAWS.Calls("AssumeRoleWithWebIdentity"))
	}
}
