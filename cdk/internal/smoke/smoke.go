// Package smoke checks a built end-user package against the deployed stacks, as `ccwb
// test` does: the package's own credential-process gets credentials (signing in through
// the browser when needed), then Bedrock answers ListFoundationModels and, optionally,
// one small InvokeModel with them.
package smoke

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/client/packager"
	"ccwb.dev/contract/config"
)

// Options of a smoke test.
type Options struct {
	// PackageDir is a package built by `ccwb package` (dist/<profile>/<time>).
	PackageDir string
	// Profile of the package's config.json; Region is where Bedrock is called.
	Profile, Region string
	// Invoke also sends one small request to Model.
	Invoke bool
	Model  string
	// Env is the environment of the credential process (default: this process's).
	Env []string
	// BedrockEndpoint and RuntimeEndpoint override the AWS endpoints (tests).
	BedrockEndpoint, RuntimeEndpoint string
	// Timeout bounds the whole run, browser sign-in included (default 5 minutes).
	Timeout time.Duration
}

// Step is one check and its outcome.
type Step struct {
	Name     string        `json:"name"`
	OK       bool          `json:"ok"`
	Detail   string        `json:"detail"`
	Duration time.Duration `json:"duration_ns"`
}

// Report is every step run; a failed step ends the run.
type Report struct {
	Steps []Step `json:"steps"`
}

// OK reports whether every step passed.
func (r *Report) OK() bool {
	for _, s := range r.Steps {
		if !s.OK {
			return false
		}
	}
	return len(r.Steps) > 0
}

// WriteText writes one line a step.
func (r *Report) WriteText(w io.Writer) {
	for _, s := range r.Steps {
		mark := "PASS"
		if !s.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s  %-14s %-8s %s\n", mark, s.Name, s.Duration.Round(time.Millisecond), s.Detail)
	}
}

// Platform is the package's bin/ directory for this machine.
func Platform(goos, goarch string) string {
	if goos == "darwin" {
		return packager.PlatformMac
	}
	return goos + "-" + goarch
}

// Run runs the steps; the error is for a run that could not start (a broken package).
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	r := &Report{}
	step := func(name string, f func() (string, error)) bool {
		start := time.Now()
		detail, err := f()
		s := Step{Name: name, OK: err == nil, Detail: detail, Duration: time.Since(start)}
		if err != nil {
			s.Detail = err.Error()
		}
		r.Steps = append(r.Steps, s)
		return s.OK
	}

	var creds aws.Credentials
	ok := step("credentials", func() (string, error) {
		var err error
		creds, err = credentialsFromPackage(ctx, o)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("access key %s, expires %s", creds.AccessKeyID, creds.Expires.UTC().Format(time.RFC3339)), nil
	})
	if !ok {
		return r, nil
	}
	provider := credentials.StaticCredentialsProvider{Value: creds}
	ok = step("list models", func() (string, error) { return listModels(ctx, o, provider) })
	if !ok || !o.Invoke {
		return r, nil
	}
	step("invoke model", func() (string, error) { return invokeModel(ctx, o, provider) })
	return r, nil
}

// listModels checks that the credentials may list the Anthropic models of the Region, and
// that the configured model is among them.
func listModels(ctx context.Context, o Options, provider aws.CredentialsProvider) (string, error) {
	client := bedrock.New(bedrock.Options{Region: o.Region, Credentials: provider, BaseEndpoint: endpoint(o.BedrockEndpoint)})
	out, err := client.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{ByProvider: aws.String("anthropic")})
	if err != nil {
		return "", fmt.Errorf("bedrock:ListFoundationModels in %s: %w", o.Region, err)
	}
	detail := fmt.Sprintf("%d Anthropic models in %s", len(out.ModelSummaries), o.Region)
	if o.Model != "" {
		base := settings.FoundationModel(o.Model)
		found := false
		for _, m := range out.ModelSummaries {
			found = found || aws.ToString(m.ModelId) == base
		}
		if !found {
			return "", fmt.Errorf("%s; the configured model %s (base %s) is not among them: check the model ID and the region", detail, o.Model, base)
		}
		detail += ", including " + base
	}
	return detail, nil
}

// invokeModel asks the configured model for one word.
func invokeModel(ctx context.Context, o Options, provider aws.CredentialsProvider) (string, error) {
	if o.Model == "" {
		return "", errors.New("no model configured: set bedrock.model in the settings, or pass --model")
	}
	client := bedrockruntime.New(bedrockruntime.Options{Region: o.Region, Credentials: provider, BaseEndpoint: endpoint(o.RuntimeEndpoint)})
	body, _ := json.Marshal(map[string]any{
		"anthropic_version": "bedrock-2023-05-31",
		"max_tokens":        16,
		"messages":          []map[string]string{{"role": "user", "content": "Reply with the single word: ready"}},
	})
	out, err := client.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String(o.Model), Body: body, ContentType: aws.String("application/json"), Accept: aws.String("application/json")})
	if err != nil {
		return "", fmt.Errorf("bedrock:InvokeModel %s: %w", o.Model, err)
	}
	var resp struct {
		Content []struct{ Text string } `json:"content"`
		Usage   struct {
			InputTokens  int `json:"input_tokens"`
			OutputTokens int `json:"output_tokens"`
		} `json:"usage"`
	}
	if err := json.Unmarshal(out.Body, &resp); err != nil || len(resp.Content) == 0 {
		return "", fmt.Errorf("bedrock:InvokeModel %s: unexpected response %.200s", o.Model, out.Body)
	}
	return fmt.Sprintf("%q (%d input, %d output tokens)", strings.TrimSpace(resp.Content[0].Text), resp.Usage.InputTokens, resp.Usage.OutputTokens), nil
}

func endpoint(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// credentialsFromPackage runs the package's credential-process for this machine, next to
// the package's config.json as it would be installed, and parses its output.
func credentialsFromPackage(ctx context.Context, o Options) (aws.Credentials, error) {
	exe := "credential-process"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	src := filepath.Join(o.PackageDir, "bin", Platform(runtime.GOOS, runtime.GOARCH), exe)
	dir, err := os.MkdirTemp("", "ccwb-test-")
	if err != nil {
		return aws.Credentials{}, err
	}
	defer os.RemoveAll(dir)
	for from, to := range map[string]string{src: exe, filepath.Join(o.PackageDir, config.FileName): config.FileName} {
		data, err := os.ReadFile(from)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("the package lacks %s: build it with `ccwb package`", from)
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o700); err != nil {
			return aws.Credentials{}, err
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(dir, exe), "--profile", o.Profile)
	if o.Env != nil {
		cmd.Env = o.Env
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return aws.Credentials{}, fmt.Errorf("credential-process --profile %s: %w\n%s", o.Profile, err, strings.TrimSpace(stderr.String()))
	}
	var out struct {
		Version                                    int
		AccessKeyId, SecretAccessKey, SessionToken string
		Expiration                                 time.Time
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || out.Version != 1 || out.AccessKeyId == "" {
		return aws.Credentials{}, fmt.Errorf("credential-process printed no credential_process JSON (%v): %.200s", err, stdout.String())
	}
	return aws.Credentials{AccessKeyID: out.AccessKeyId, SecretAccessKey: out.SecretAccessKey, SessionToken: out.SessionToken, CanExpire: true, Expires: out.Expiration}, nil
}
