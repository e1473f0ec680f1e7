package bedrocktest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
)

// A scripted session, read with the AWS SDK for Go: the first turn calls the tool, then the
// credentials expire (403 ExpiredTokenException, OnExpire once), and credentials issued later
// (found through Credentials) get the second turn's text.
func TestScriptedSessionExpiresMidway(t *testing.T) {
	later := aws.Credentials{AccessKeyID: "ASIALATER", SecretAccessKey: "s2", SessionToken: "t2", CanExpire: true, Expires: testCreds.Expires}
	expiries := 0
	s := New(t, Options{Region: testRegion, Models: []string{testModel}, Reply: "done",
		ToolUse: &ToolUse{Name: "Glob", Input: map[string]any{"pattern": "*.go"}}, ExpireAfterStreams: 1,
		OnExpire:    func() { expiries++ },
		Credentials: func(id string) (aws.Credentials, bool) { return later, id == later.AccessKeyID }})
	s.Allow(testCreds)
	turn := func(c aws.Credentials, body string) (string, error) {
		out, err := bedrockruntime.NewFromConfig(awsConfig(s, testRegion, c)).InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{
			ModelId: aws.String(testModel), ContentType: aws.String("application/json"), Body: []byte(body)})
		if err != nil {
			return "", err
		}
		defer out.GetStream().Close()
		var got string
		for e := range out.GetStream().Events() {
			got += string(e.(*types.ResponseStreamMemberChunk).Value.Bytes)
		}
		return got, out.GetStream().Err()
	}
	const first = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":16,"tools":[{"name":"Glob","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"list"}]}`
	const second = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":16,"tools":[{"name":"Glob","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"list"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_bdrk_01standin","name":"Glob","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_bdrk_01standin","content":"a.go"}]}]}`
	if got, err := turn(testCreds, first); err != nil || !strings.Contains(got, `"type":"tool_use"`) || !strings.Contains(got, `"stop_reason":"tool_use"`) {
		t.Fatalf("first turn: %v\n%s", err, got)
	}
	var api smithy.APIError
	if _, err := turn(testCreds, second); !errors.As(err, &api) || api.ErrorCode() != "ExpiredTokenException" || expiries != 1 {
		t.Fatalf("second turn with the first credentials: %v (expiries %d), want ExpiredTokenException once", err, expiries)
	}
	if got, err := turn(later, second); err != nil || !strings.Contains(got, `{"text":"done","type":"text_delta"}`) {
		t.Fatalf("second turn with new credentials: %v\n%s", err, got)
	}
	if _, err := turn(testCreds, second); !errors.As(err, &api) || api.ErrorCode() != "ExpiredTokenException" || expiries != 1 {
		t.Errorf("the old credentials again: %v, expiries %d", err, expiries)
	}
}
