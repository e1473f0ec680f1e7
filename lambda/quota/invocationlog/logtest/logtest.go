// Package logtest makes Bedrock model invocation log records, in the shape of
// invocationlog's testdata/record.json (the documented fields), and the events CloudWatch
// Logs delivers them in, for the quota tests.
package logtest

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Account and Role are the deployment's account and Bedrock role in the records.
const (
	Account = "123456789012"
	Role    = "ccwb-auth-BedrockAuthRole1234"
	Sonnet  = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
)

// Record is one invocation record made at `at` in us-east-1 by the session `session` of
// roleName.
func Record(at time.Time, roleName, session, requestID, model string, in, out int64) string {
	return fmt.Sprintf(`{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"%s","accountId":"%s",`+
		`"identity":{"arn":"arn:aws:sts::%s:assumed-role/%s/%s"},"region":"us-east-1","requestId":"%s",`+
		`"operation":"InvokeModelWithResponseStream","modelId":"%s",`+
		`"input":{"inputContentType":"application/json","inputTokenCount":%d,"cacheReadInputTokenCount":0,"cacheWriteInputTokenCount":0},`+
		`"output":{"outputContentType":"application/json","outputTokenCount":%d}}`,
		at.UTC().Format(time.RFC3339), Account, Account, roleName, session, requestID, model, in, out)
}

// Event wraps messages as CloudWatch Logs delivers them to a subscribed function: the
// DATA_MESSAGE JSON, gzipped, base64 in awslogs.data.
func Event(at time.Time, messages ...string) events.CloudwatchLogsEvent {
	var logEvents []map[string]any
	for i, m := range messages {
		logEvents = append(logEvents, map[string]any{"id": fmt.Sprint(i), "timestamp": at.UnixMilli(), "message": m})
	}
	body, _ := json.Marshal(map[string]any{
		"messageType": "DATA_MESSAGE", "owner": Account, "logGroup": "/ccwb/bedrock/invocations", "logStream": "aws/bedrock/modelinvocations",
		"subscriptionFilters": []string{"ccwb-quota"}, "logEvents": logEvents,
	})
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write(body)
	_ = w.Close()
	return events.CloudwatchLogsEvent{AWSLogs: events.CloudwatchLogsRawData{Data: base64.StdEncoding.EncodeToString(gz.Bytes())}}
}
