package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ccwb.dev/contract/testenv"
)

// The AWS CLI runs the binary as credential_process and signs a real request with the result.
func TestAWSCLIReadsCredentials(t *testing.T) {
	t.Parallel()
	awsCLI := testenv.AWSCLI(t)
	e := newEnv(t)
	cfg := filepath.Join(e.home, "aws-config")
	profile := "[profile ccwb]\ncredential_process = " + binary + " --profile test\nregion = us-east-1\n"
	if err := os.WriteFile(cfg, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	// --endpoint-url for the CLI's own call: AWS_ENDPOINT_URL_STS reaches the credential-process's
	// SDK, but older CLIs (Debian 12's 2.9) ignore it.
	cmd := exec.Command(awsCLI, "sts", "get-caller-identity", "--profile", "ccwb", "--output", "json", "--endpoint-url", e.aws.URL)
	cmd.Env = append(e.environ(), "AWS_CONFIG_FILE="+cfg, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(e.home, "none"),
		"AWS_ENDPOINT_URL_STS="+e.aws.URL)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("aws sts get-caller-identity: %v\n%s", err, stderr)
	}
	var id struct{ Arn, Account string }
	if err := json.Unmarshal(out, &id); err != nil {
		t.Fatalf("aws output %q: %v", out, err)
	}
	if id.Arn != "arn:aws:sts::123456789012:assumed-role/BedrockUsers/00u1a2b3c4" {
		t.Errorf("Arn = %q", id.Arn)
	}
}

// The Go SDK's process credentials provider reads the output, and STS accepts the result.
func TestGoSDKProcessProvider(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	provider := processcreds.NewProviderCommand(processcreds.NewCommandBuilderFunc(func(ctx context.Context) (*exec.Cmd, error) {
		cmd := exec.CommandContext(ctx, binary, "--profile", "test")
		cmd.Env = e.environ()
		return cmd, nil
	}), func(o *processcreds.Options) { o.Timeout = time.Minute })
	ctx := context.Background()
	creds, err := provider.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !creds.CanExpire || time.Until(creds.Expires) < 7*time.Hour {
		t.Errorf("credentials expire at %v, want about 8 h from now", creds.Expires)
	}
	client := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.aws.URL), Credentials: aws.NewCredentialsCache(provider)})
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(aws.ToString(out.Arn), "/00u1a2b3c4") {
		t.Errorf("Arn = %q", aws.ToString(out.Arn))
	}
}

// Twenty concurrent cold invocations share one login and one STS call.
func TestConcurrentColdInvocations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const n = 20
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = e.run() })
	}
	wg.Wait()
	first := e.mustCredentials(results[0])
	for i, r := range results[1:] {
		if c := e.mustCredentials(r); c != first {
			t.Errorf("invocation %d printed other credentials", i+1)
		}
	}
	if got := e.idp.Logins.Load(); got != 1 {
		t.Errorf("logins = %d, want 1", got)
	}
	if got := e.aws.Calls("AssumeRoleWithWebIdentity"); got != 1 {
		t.Errorf("STS calls = %d, want 1", got)
	}
}

// The JS SDK's process provider (what Claude Code itself uses) reads the output.
func TestJSSDKProcessProvider(t *testing.T) {
	t.Parallel()
	node := testenv.Node(t)
	testenv.NodeModule(t, "@aws-sdk/credential-provider-process")
	e := newEnv(t)
	cfg := filepath.Join(e.home, "aws-config")
	if err := os.WriteFile(cfg, []byte("[profile ccwb]\ncredential_process = "+binary+" --profile test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script := `const { fromProcess } = require("@aws-sdk/credential-provider-process");
fromProcess({ profile: "ccwb" })().then(
  (c) => console.log(JSON.stringify({ id: c.accessKeyId, secret: c.secretAccessKey, token: c.sessionToken, exp: c.expiration.toISOString() })),
  (e) => { console.error(e); process.exit(1); });`
	cmd := exec.Command(node, "-e", script)
	cmd.Env = append(e.environ(), "AWS_CONFIG_FILE="+cfg, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(e.home, "none"),
		"NODE_PATH="+filepath.Join(testenv.Root(t), "node_modules"))
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node fromProcess: %v\n%s", err, stderr)
	}
	var got struct{ ID, Secret, Token, Exp string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output %q: %v", out, err)
	}
	s, ok := e.aws.Session(got.ID)
	if !ok || s.SecretAccessKey != got.Secret || s.SessionToken != got.Token {
		t.Fatalf("the JS SDK read credentials STS did not issue: %+v", got)
	}
	if exp, err := time.Parse(time.RFC3339, got.Exp); err != nil || !exp.Equal(s.Expiration) {
		t.Errorf("expiration %q, want %v", got.Exp, s.Expiration)
	}
}
