package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/deployer"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
	report "ccwb.dev/contract/doctor"
	"ccwb.dev/contract/project"
	"ccwb.dev/contract/testenv"
)

// repoRoot is the ccwb project this test lives in.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := project.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// ccwb runs the command line in-process.
func ccwb(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := New("1.2.3", strings.NewReader(stdin), &out, &errOut)
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// emptyProject is an empty ccwb project: just cdk.json.
func emptyProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"app": "go run ./cdk"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

var allFlags = []string{
	"--name", "acme", "--region", "eu-central-1", "--idp-domain", "login.microsoftonline.com/8a1c5f8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f/v2.0",
	"--client-id", "11111111-2222-3333-4444-555555555555", "--federation", "cognito", "--session-duration", "6h",
	"--bedrock-regions", "eu-central-1,eu-west-1,eu-west-3", "--cross-region-profile", "eu",
	"--model", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "--small-fast-model", "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
	"--monitoring", "--certificate-arn", "arn:aws:acm:eu-central-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "--domain-name", "otel.acme.example.com", "--alarm-email", "ops@example.com", "--analytics=false", "--credential-storage", "session",
	"--callback-port", "8500", "--profile-name", "Acme",
}

func TestInitNonInteractive(t *testing.T) {
	dir := emptyProject(t)
	_, stderr, err := ccwb(t, "", append([]string{"init", "--project", dir, "--non-interactive"}, allFlags...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	path := filepath.Join(dir, DefaultSettings)
	d, err := settings.Load(path)
	if err != nil {
		t.Fatalf("init wrote settings that do not validate: %v", err)
	}
	typ, issuer, _ := d.Provider()
	if d.Name != "acme" || typ != "azure" || issuer != "https://login.microsoftonline.com/8a1c5f8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f/v2.0" ||
		d.Federation.Type != "cognito" || d.SessionDuration().Hours() != 6 || d.Bedrock.CrossRegionProfile != "eu" ||
		!d.Monitoring.Enabled || d.Analytics.Enabled || d.Client.CallbackPort != 8500 || d.Client.ProfileName != "Acme" {
		t.Fatalf("settings = %+v", d)
	}
	if !strings.Contains(stderr, "created") || !strings.Contains(stderr, "ccwb deploy") {
		t.Errorf("stderr = %s", stderr)
	}

	// Re-running with one flag changes that setting and keeps the rest.
	before, _ := os.ReadFile(path)
	if strings.Contains(string(before), "min_tasks") {
		t.Errorf("init wrote defaults of questions it did not ask; they should stay implicit:\n%s", before)
	}
	if _, stderr, err := ccwb(t, "", "init", "--project", dir, "--non-interactive", "--callback-port", "8600"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	after, _ := os.ReadFile(path)
	if want := strings.Replace(string(before), `"callback_port": 8500`, `"callback_port": 8600`, 1); string(after) != want {
		t.Fatalf("re-run changed more than the port:\n%s\nwant\n%s", after, want)
	}
}

func TestInitRejects(t *testing.T) {
	dir := emptyProject(t)
	// A session longer than Cognito allows: Validate names the field, nothing is written.
	args := append([]string{"init", "--project", dir, "--non-interactive"}, allFlags...)
	args = append(args, "--session-duration", "10h")
	if _, _, err := ccwb(t, "", args...); err == nil || !strings.Contains(err.Error(), "federation.session_duration") {
		t.Fatalf("error = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, DefaultSettings)); !os.IsNotExist(err) {
		t.Fatal("invalid settings were written")
	}
	if _, _, err := ccwb(t, "", "init", "--project", dir, "--region", "moon-1", "--non-interactive"); err == nil || !strings.Contains(err.Error(), "--region") {
		t.Fatalf("bad flag: %v", err)
	}
	if _, _, err := ccwb(t, "", "init", "--project", dir); err == nil || !strings.Contains(err.Error(), "stdin is not a terminal") {
		t.Fatalf("no terminal: %v", err)
	}
	if _, _, err := ccwb(t, "", "status", "--project", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no cdk.json") {
		t.Fatalf("not a project: %v", err)
	}
}

func TestInitWizardThroughTheCommand(t *testing.T) {
	dir := emptyProject(t)
	// Flags pre-answer; the wizard shows them as defaults; Enter accepts.
	args := append([]string{"init", "--project", dir, "--accessible"}, allFlags...)
	_, stderr, err := ccwb(t, strings.Repeat("\n", 30), args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "[acme]") || !strings.Contains(stderr, "Login callback port") {
		t.Errorf("wizard prompts missing:\n%s", stderr)
	}
	if _, err := settings.Load(filepath.Join(dir, DefaultSettings)); err != nil {
		t.Fatal(err)
	}
}

func TestDeployAndDestroyDryRun(t *testing.T) {
	root := repoRoot(t)
	out, stderr, err := ccwb(t, "", "deploy", "--project", root, "--settings", "settings/example.json", "--dry-run", "--require-approval", "never")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	cdk := filepath.Join(root, "node_modules", ".bin", "cdk")
	outputs := filepath.Join(root, "settings", "example.outputs.json.partial")
	assembly := filepath.Join(root, "cdk.out")
	want := []string{fmt.Sprintf("%s synth --no-notices --quiet -c ccwb:settings=settings/example.json --output %s", cdk, assembly)}
	for _, s := range []string{"ccwb-auth", "ccwb-monitoring", "ccwb-analytics", "ccwb-quota", "ccwb-quota-us-east-2", "ccwb-quota-us-west-2", "ccwb-distribution"} {
		want = append(want, fmt.Sprintf("%s deploy --no-notices --app %s --exclusively --outputs-file %s --require-approval never %s", cdk, assembly, outputs, s))
	}
	if got := strings.TrimSpace(out); got != strings.Join(want, "\n") {
		t.Fatalf("deploy --dry-run printed\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}

	out, _, err = ccwb(t, "", "destroy", "--project", root, "--settings", "settings/example.json", "--dry-run", "monitoring", "auth")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], " synth ") || !strings.HasSuffix(lines[1], "destroy --no-notices --app "+assembly+" --exclusively --force ccwb-monitoring") || !strings.HasSuffix(lines[2], "--force ccwb-auth") {
		t.Fatalf("destroy --dry-run printed\n%s", out)
	}
	if _, _, err := ccwb(t, "n\n", "destroy", "--project", root, "--settings", "settings/example.json"); err == nil || !strings.Contains(err.Error(), "destroy cancelled") {
		t.Fatalf("declined destroy: %v", err)
	}
	if _, _, err := ccwb(t, "", "deploy", "--project", root, "--settings", "settings/example.json", "--dry-run", "billing"); err == nil || !strings.Contains(err.Error(), `no stack "billing"`) {
		t.Fatalf("unknown stack: %v", err)
	}
}

// signingRegion is the Region a SigV4 request is signed for (its credential scope).
var signingRegion = regexp.MustCompile(`Credential=[^/]+/[^/]+/([^/]+)/`)

// fakeCloudFormation points the AWS SDK at a fake endpoint answering DescribeStacks in the
// AWS query protocol with the outputs of the example fixture, each stack in its own Region
// only (the quota collectors of other source Regions there, the rest in the deployment's),
// as CloudFormation does; the analytics stack is not deployed there.
func fakeCloudFormation(t *testing.T) (fixture string) {
	t.Helper()
	fixture = filepath.Join(repoRoot(t), "cdk", "internal", "stackoutputs", "testdata", "example-outputs.json")
	outs, err := stackoutputs.Read(fixture)
	if err != nil {
		t.Fatal(err)
	}
	example, err := settings.Load(filepath.Join(repoRoot(t), "settings", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	regionOf := map[string]string{}
	for _, c := range example.QuotaCollectors() {
		regionOf[c.Stack] = c.Region
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		name := r.Form.Get("StackName")
		kv, ok := outs[name]
		home := cmp.Or(regionOf[name], example.Region)
		if m := signingRegion.FindStringSubmatch(r.Header.Get("Authorization")); m == nil || m[1] != home {
			ok = false // another Region's CloudFormation knows no such stack
		}
		w.Header().Set("Content-Type", "text/xml")
		if !ok || name == "ccwb-analytics" {
			w.WriteHeader(400)
			fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id %s does not exist</Message></Error></ErrorResponse>`, name)
			return
		}
		var members strings.Builder
		for k, v := range kv {
			fmt.Fprintf(&members, "<member><OutputKey>%s</OutputKey><OutputValue>%s</OutputValue></member>", k, v)
		}
		fmt.Fprintf(w, `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>%s</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-11-01T10:00:00Z</CreationTime><Outputs>%s</Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`, name, members.String())
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", srv.URL)
	isolatedAWS(t, "AKIDEXAMPLE", "secret")
	return fixture
}

// isolatedAWS gives every AWS client ccwb makes the static keys id and secret, and none of
// this machine's AWS configuration (profile, config and credentials files, session token).
func isolatedAWS(t *testing.T, id, secret string) {
	t.Setenv("AWS_ACCESS_KEY_ID", id)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
}

func TestStatus(t *testing.T) {
	fixture := fakeCloudFormation(t)
	args := []string{"status", "--project", repoRoot(t), "--settings", "settings/example.json", "--outputs-file", fixture}
	out, stderr, err := ccwb(t, "", append(args, "--json")...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var report struct {
		Stacks []struct {
			Name   string
			Exists bool
			Status string
		}
		OutputsCurrent bool `json:"outputs_current"`
		Differences    []string
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if len(report.Stacks) != 7 || report.Stacks[0].Status != "CREATE_COMPLETE" || report.Stacks[2].Exists || !report.Stacks[5].Exists {
		t.Fatalf("report = %+v", report)
	}
	// The fixture lists an (empty) analytics stack that is not deployed here.
	if report.OutputsCurrent || len(report.Differences) != 1 || !strings.Contains(report.Differences[0], "ccwb-analytics: in the outputs file but not deployed") {
		t.Fatalf("differences = %v", report.Differences)
	}
	out, _, err = ccwb(t, "", args...)
	if err != nil || !regexp.MustCompile(`ccwb-analytics +NOT DEPLOYED`).MatchString(out) || !strings.Contains(out, "IssuerUrl = https://dev-12345678.okta.com") {
		t.Fatalf("status text (%v):\n%s", err, out)
	}
}

// ccwb doctor describes every stack in its own Region: the quota collectors of the other
// source Regions are deployed, only the analytics stack is missing.
func TestDoctorDescribesEachStackInItsRegion(t *testing.T) {
	fixture := fakeCloudFormation(t)
	out, stderr, err := ccwb(t, "", "doctor", "--json", "--project", repoRoot(t), "--settings", "settings/example.json", "--outputs-file", fixture)
	if err == nil {
		t.Fatalf("doctor passed with a stack missing:\n%s", out)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("doctor --json: %v\n%s\n%s", err, out, stderr)
	}
	for _, c := range r.Results {
		if c.Check == "stacks" {
			if c.Status != report.Fail || c.Detail != "not deployed: ccwb-analytics" {
				t.Fatalf("stacks: %s %s, want FAIL not deployed: ccwb-analytics", c.Status, c.Detail)
			}
			return
		}
	}
	t.Fatalf("no stacks check in\n%s", out)
}

// ccwb package on the committed example and the example outputs: a whole package whose
// config.json is what the outputs say. (The packager's own tests check every file.)
func TestPackageExample(t *testing.T) {
	testenv.Slow(t, "cross-compiles the client")
	root := repoRoot(t)
	fixture := filepath.Join(root, "cdk", "internal", "stackoutputs", "testdata", "example-outputs.json")
	dist := t.TempDir()
	out, stderr, err := ccwb(t, "", "package", "--project", root, "--settings", "settings/example.json", "--outputs-file", fixture, "--dist", dist, "--jobs", "2", "--archive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	dir := strings.TrimSpace(out)
	if filepath.Dir(dir) != filepath.Join(dist, "ClaudeCode") {
		t.Fatalf("package dir %s, want one under %s/ClaudeCode", dir, dist)
	}
	got, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(root, "client", "packager", "testdata", "example-config.json"))
	if !bytes.Equal(got, want) {
		t.Fatalf("config.json:\n%s\nwant\n%s", got, want)
	}
	for _, f := range []string{"bin/darwin-universal/credential-process", "bin/windows-amd64/credential-process.exe", "install.sh", "SHA256SUMS", "../" + filepath.Base(dir) + ".tar.gz", "../" + filepath.Base(dir) + ".zip"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("package lacks %s", f)
		}
	}
	settingsJSON, _ := os.ReadFile(filepath.Join(dir, "claude-settings.json"))
	if !strings.Contains(string(settingsJSON), `"OTEL_RESOURCE_ATTRIBUTES": "ccwb.deployment=ccwb,ccwb.profile=ClaudeCode"`) {
		t.Errorf("claude-settings.json:\n%s", settingsJSON)
	}
	if !strings.Contains(stderr, "[5/5]") {
		t.Errorf("no progress on stderr:\n%s", stderr)
	}
}

// package --from-cloudformation reads the same outputs from the deployed stacks.
func TestOutputsFromCloudFormation(t *testing.T) {
	fakeCloudFormation(t)
	d, err := settings.Load(filepath.Join(repoRoot(t), "settings", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	cf, err := (&app{}).cloudFormation(cmd, d)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := describeOutputs(cmd, cf, deployer.Stacks(d))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := stackoutputs.ConfigFile(d, outs)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := cfg.Marshal()
	want, _ := os.ReadFile(filepath.Join(repoRoot(t), "client", "packager", "testdata", "example-config.json"))
	if !bytes.Equal(got, want) {
		t.Fatalf("config from CloudFormation:\n%s\nwant\n%s", got, want)
	}
}

func TestNewestPackage(t *testing.T) {
	dir := t.TempDir()
	if _, err := newestPackage(dir); err == nil || !strings.Contains(err.Error(), "ccwb package") {
		t.Fatalf("empty: %v", err)
	}
	for _, n := range []string{"20261128T120000Z", "20261128T130000Z", ".building-1", "20261127T235959Z", "mdm"} {
		os.Mkdir(filepath.Join(dir, n), 0o755)
		if n != "mdm" { // ccwb mdm's output holds no SHA256SUMS
			os.WriteFile(filepath.Join(dir, n, "SHA256SUMS"), nil, 0o644)
		}
	}
	if got, err := newestPackage(dir); err != nil || filepath.Base(got) != "20261128T130000Z" {
		t.Fatalf("newest = %s (%v)", got, err)
	}
}
