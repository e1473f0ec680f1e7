// Package invocationlog reads Amazon Bedrock model invocation log records (schemaType
// ModelInvocationLog), metadata only: who called (identity.arn), which model, the request ID
// and the token counts. Prompt and response bodies, if the configuration delivers them, are
// never decoded (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html).
package invocationlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"ccwb.dev/contract/pricing"
)

// Record is what the quota service takes from one invocation log record.
type Record struct {
	RequestID string
	Time      time.Time
	// Region is where the call was made (the record's region, the log group's Region).
	Region  string
	Account string
	// Role and Session are the caller's assumed role name and session name, from identity.arn.
	Role, Session string
	ModelID       string
	Operation     string
	Tokens        pricing.Tokens
	// Metered is false when the record carries no output token count (the counts may need
	// text delivery on: docs/platform/quotas.md, first-day check).
	Metered bool
}

// wire is the record as Bedrock writes it: only the fields read here (input and output
// bodies are left as raw JSON, never parsed).
type wire struct {
	SchemaType string `json:"schemaType"`
	Timestamp  string `json:"timestamp"`
	AccountID  string `json:"accountId"`
	Identity   struct {
		ARN string `json:"arn"`
	} `json:"identity"`
	Region    string `json:"region"`
	RequestID string `json:"requestId"`
	Operation string `json:"operation"`
	ModelID   string `json:"modelId"`
	Input     struct {
		InputTokenCount           *int64 `json:"inputTokenCount"`
		CacheReadInputTokenCount  int64  `json:"cacheReadInputTokenCount"`
		CacheWriteInputTokenCount int64  `json:"cacheWriteInputTokenCount"`
	} `json:"input"`
	Output struct {
		OutputTokenCount *int64 `json:"outputTokenCount"`
	} `json:"output"`
}

// ErrNotInvocation marks a log event that is not a model invocation record (Bedrock's
// own test message when logging is set up, say): skipped, not an error of the pipeline.
var ErrNotInvocation = errors.New("not a model invocation log record")

// Parse reads one log event's message.
func Parse(message []byte) (Record, error) {
	var w wire
	if err := json.Unmarshal(message, &w); err != nil {
		return Record{}, fmt.Errorf("parse invocation log record: %w", err)
	}
	if w.SchemaType != "ModelInvocationLog" {
		return Record{}, ErrNotInvocation
	}
	if w.RequestID == "" || w.Identity.ARN == "" {
		return Record{}, fmt.Errorf("invocation log record without requestId or identity.arn")
	}
	t, err := time.Parse(time.RFC3339Nano, w.Timestamp)
	if err != nil {
		return Record{}, fmt.Errorf("invocation log record %s: timestamp %q: %w", w.RequestID, w.Timestamp, err)
	}
	r := Record{
		RequestID: w.RequestID, Time: t.UTC(), Region: w.Region, Account: w.AccountID,
		ModelID: w.ModelID, Operation: w.Operation, Metered: w.Output.OutputTokenCount != nil,
		Tokens: pricing.Tokens{CacheRead: w.Input.CacheReadInputTokenCount, CacheCreation: w.Input.CacheWriteInputTokenCount},
	}
	if w.Input.InputTokenCount != nil {
		r.Tokens.Input = *w.Input.InputTokenCount
	}
	if w.Output.OutputTokenCount != nil {
		r.Tokens.Output = *w.Output.OutputTokenCount
	}
	if r.Tokens.Input < 0 || r.Tokens.Output < 0 || r.Tokens.CacheRead < 0 || r.Tokens.CacheCreation < 0 {
		return Record{}, fmt.Errorf("invocation log record %s: a negative token count", w.RequestID)
	}
	r.Role, r.Session = assumedRole(w.Identity.ARN)
	return r, nil
}

// assumedRole splits arn:<partition>:sts::<account>:assumed-role/<role>/<session>; other
// callers (IAM users, other principals) give "".
func assumedRole(s string) (role, session string) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "sts" {
		return "", ""
	}
	rest, ok := strings.CutPrefix(a.Resource, "assumed-role/")
	if !ok {
		return "", ""
	}
	role, session, ok = strings.Cut(rest, "/")
	if !ok || strings.Contains(session, "/") {
		return "", ""
	}
	return role, session
}

// Caller is the deployment's Bedrock role, whose sessions are metered.
type Caller struct {
	Account, Role string
}

// Subject is the verified subject of a record made by c's sessions: with direct federation
// and attribution=subject the role's trust policy makes the session name the token's sub.
// ok is false for any other caller, which the quota service does not meter.
func (c Caller) Subject(r Record) (string, bool) {
	if r.Account != c.Account || r.Role != c.Role || r.Session == "" {
		return "", false
	}
	return r.Session, true
}
