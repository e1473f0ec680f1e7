package bedrocktest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
)

const (
	testRegion = "us-west-2"
	testModel  = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	testBody   = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}`
)

var testCreds = aws.Credentials{AccessKeyID: "ASIATESTKEY", SecretAccessKey: "test-secret", SessionToken: "test-token", CanExpire: true, Expires: time.Now().Add(time.Hour)}

func newServer(t *testing.T) *Server {
	s := New(t, Options{Region: testRegion, Models: []string{testModel}, Reply: "Hello from the stand-in"})
	s.Allow(testCreds)
	return s
}

func awsConfig(s *Server, region string, c aws.Credentials) aws.Config {
	return aws.Config{
		Region: region, BaseEndpoint: aws.String(s.URL),
		Credentials:      credentials.StaticCredentialsProvider{Value: c},
		RetryMaxAttempts: 1,
	}
}

// The AWS SDK for Go, an independent client of the same wire format, reads the stream:
// event-stream framing, chunk events, base64 payloads of Anthropic streaming events.
func TestStreamReadsWithTheSDK(t *testing.T) {
	s := newServer(t)
	client := bedrockruntime.NewFromConfig(awsConfig(s, testRegion, testCreds))
	out, err := client.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{
		ModelId: aws.String(testModel), ContentType: aws.String("application/json"), Body: []byte(testBody),
	})
	if err != nil {
		t.Fatal(err)
	}
	stream := out.GetStream()
	defer stream.Close()
	var text strings.Builder
	var types_ []string
	for ev := range stream.Events() {
		chunk, ok := ev.(*types.ResponseStreamMemberChunk)
		if !ok {
			t.Fatalf("event %T, want a chunk", ev)
		}
		var e struct {
			Type  string
			Delta struct{ Text string }
		}
		if err := json.Unmarshal(chunk.Value.Bytes, &e); err != nil {
			t.Fatalf("chunk %q: %v", chunk.Value.Bytes, err)
		}
		types_ = append(types_, e.Type)
		text.WriteString(e.Delta.Text)
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if text.String() != "Hello from the stand-in" {
		t.Errorf("streamed text %q", text.String())
	}
	want := "message_start content_block_start content_block_delta content_block_delta content_block_delta content_block_delta content_block_stop message_delta message_stop"
	if got := strings.Join(types_, " "); got != want {
		t.Errorf("events %s\nwant %s", got, want)
	}
	if c := s.Calls(); len(c) != 1 || c[0].Operation != InvokeModelWithResponseStream || c[0].ModelID != testModel || c[0].AccessKeyID != testCreds.AccessKeyID {
		t.Errorf("calls %+v", c)
	}
}

func TestInvokeAndListWithTheSDK(t *testing.T) {
	s := newServer(t)
	cfg := awsConfig(s, testRegion, testCreds)
	out, err := bedrockruntime.NewFromConfig(cfg).InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{
		ModelId: aws.String(testModel), ContentType: aws.String("application/json"), Body: []byte(testBody),
	})
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Role    string
		Content []struct{ Type, Text string }
	}
	if err := json.Unmarshal(out.Body, &msg); err != nil || msg.Role != "assistant" || len(msg.Content) != 1 || msg.Content[0].Text != "Hello from the stand-in" {
		t.Errorf("InvokeModel body %s (%v)", out.Body, err)
	}
	list, err := bedrock.NewFromConfig(cfg).ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.InferenceProfileSummaries) != 1 || aws.ToString(list.InferenceProfileSummaries[0].InferenceProfileId) != testModel || len(list.InferenceProfileSummaries[0].Models) != 3 {
		t.Errorf("profiles %+v", list.InferenceProfileSummaries)
	}
}

// The SDK reads the stand-in's errors as Bedrock's: the code from X-Amzn-ErrorType.
func TestSDKReadsErrors(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name, region string
		creds        aws.Credentials
		model, code  string
	}{
		{"wrong secret", testRegion, aws.Credentials{AccessKeyID: testCreds.AccessKeyID, SecretAccessKey: "guessed", SessionToken: testCreds.SessionToken}, testModel, "InvalidSignatureException"},
		{"another Region", "us-east-1", testCreds, testModel, "InvalidSignatureException"},
		{"unknown key", testRegion, aws.Credentials{AccessKeyID: "ASIAOTHER", SecretAccessKey: "x", SessionToken: "y"}, testModel, "InvalidClientTokenId"},
		{"unknown model", testRegion, testCreds, "us.anthropic.claude-opus-5", "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bedrockruntime.NewFromConfig(awsConfig(s, tc.region, tc.creds)).InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{
				ModelId: aws.String(tc.model), ContentType: aws.String("application/json"), Body: []byte(testBody),
			})
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tc.code {
				t.Fatalf("error %v, want %s", err, tc.code)
			}
		})
	}
}

// Each check Bedrock makes before it reads a request, on requests signed by hand.
func TestSignatureChecks(t *testing.T) {
	s := newServer(t)
	expired := testCreds
	expired.AccessKeyID, expired.Expires = "ASIAEXPIRED", time.Now().Add(-time.Minute)
	s.Allow(expired)
	now := time.Now()
	for _, tc := range []struct {
		name    string
		creds   aws.Credentials
		service string
		region  string
		at      time.Time
		tamper  func(*http.Request)
		status  int
		code    string
		message string
	}{
		{"valid", testCreds, SigningService, testRegion, now, nil, http.StatusOK, "", ""},
		{"no signature", testCreds, SigningService, testRegion, now, func(r *http.Request) { r.Header.Del("Authorization") }, 403, "MissingAuthenticationToken", "must contain"},
		{"runtime service name", testCreds, "bedrock-runtime", testRegion, now, nil, 403, "InvalidSignatureException", "Credential should be scoped to correct service: 'bedrock'"},
		{"another Region", testCreds, SigningService, "eu-west-1", now, nil, 403, "InvalidSignatureException", "valid region"},
		{"signed 10 minutes ago", testCreds, SigningService, testRegion, now.Add(-10 * time.Minute), nil, http.StatusOK, "", ""},
		{"signed 16 minutes ago", testCreds, SigningService, testRegion, now.Add(-16 * time.Minute), nil, 400, "RequestExpired", "no longer valid"},
		{"dated 16 minutes ahead", testCreds, SigningService, testRegion, now.Add(16 * time.Minute), nil, 400, "RequestExpired", "no longer valid"},
		{"expired credentials", expired, SigningService, testRegion, now, nil, 403, "ExpiredTokenException", "expired"},
		{"wrong session token", testCreds, SigningService, testRegion, now, func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "other") }, 403, "UnrecognizedClientException", "invalid"},
		{"body changed after signing", testCreds, SigningService, testRegion, now, func(r *http.Request) {
			b := strings.Replace(testBody, `"hi"`, `"ho"`, 1)
			r.Body = io.NopCloser(strings.NewReader(b))
		}, 403, "InvalidSignatureException", "does not match"},
		{"signed header changed", testCreds, SigningService, testRegion, now, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, 403, "InvalidSignatureException", "does not match"},
		{"path changed", testCreds, SigningService, testRegion, now, func(r *http.Request) {
			r.URL.Path, r.URL.RawPath = "/model/"+testModel+"x/invoke", ""
		}, 403, "InvalidSignatureException", "does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, s.URL+"/model/"+strings.ReplaceAll(testModel, ":", "%3A")+"/invoke", strings.NewReader(testBody))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			sum := sha256.Sum256([]byte(testBody))
			if err := v4.NewSigner().SignHTTP(context.Background(), tc.creds, req, hex.EncodeToString(sum[:]), tc.service, tc.region, tc.at); err != nil {
				t.Fatal(err)
			}
			if tc.tamper != nil {
				tc.tamper(req)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if tc.code == "" {
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %s: %s", resp.Status, body)
				}
				return
			}
			var e struct{ Message string }
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode != tc.status || resp.Header.Get("X-Amzn-ErrorType") != tc.code || !strings.Contains(e.Message, tc.message) {
				t.Errorf("got %s %s %s, want %d %s %q", resp.Status, resp.Header.Get("X-Amzn-ErrorType"), bytes.TrimSpace(body), tc.status, tc.code, tc.message)
			}
		})
	}
}

func TestInvokeChecksTheBody(t *testing.T) {
	s := newServer(t)
	client := bedrockruntime.NewFromConfig(awsConfig(s, testRegion, testCreds))
	for _, tc := range []struct{ name, body, message string }{
		{"not JSON", `{`, "Malformed input request"},
		{"no anthropic_version", `{"max_tokens":1,"messages":[{"role":"user","content":"."}]}`, "anthropic_version"},
		{"no max_tokens", `{"anthropic_version":"bedrock-2023-05-31","messages":[{"role":"user","content":"."}]}`, "max_tokens"},
		{"no messages", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":1}`, "messages"},
		{"model in the body", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":1,"messages":[{"role":"user","content":"."}],"model":"x"}`, "extraneous key [model]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := client.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{
				ModelId: aws.String(testModel), ContentType: aws.String("application/json"), Body: []byte(tc.body),
			})
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" || !strings.Contains(api.ErrorMessage(), tc.message) {
				t.Errorf("error %v, want a ValidationException about %s", err, tc.message)
			}
		})
	}
}
