package bedrocktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// AnthropicVersion is the anthropic_version every Anthropic request body on Bedrock must
// hold (model-parameters-anthropic-claude-messages-request-response.html).
const AnthropicVersion = "bedrock-2023-05-31"

// profileRegions are the source Regions of each geography prefix, for the profiles' model
// ARNs; a profile outside them lists only the server's Region.
var profileRegions = map[string][]string{
	"us": {"us-east-1", "us-east-2", "us-west-2"},
	"eu": {"eu-central-1", "eu-west-1", "eu-west-3"},
}

func (s *Server) listInferenceProfiles(op *operation) *apiError {
	typ := op.r.URL.Query().Get("type")
	if typ != "" && typ != "SYSTEM_DEFINED" && typ != "APPLICATION" {
		return fail(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '%s' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]", typ)
	}
	type model struct {
		ModelARN string `json:"modelArn"`
	}
	type summary struct {
		Name        string  `json:"inferenceProfileName"`
		Description string  `json:"description"`
		CreatedAt   string  `json:"createdAt"`
		UpdatedAt   string  `json:"updatedAt"`
		ARN         string  `json:"inferenceProfileArn"`
		Models      []model `json:"models"`
		ID          string  `json:"inferenceProfileId"`
		Status      string  `json:"status"`
		Type        string  `json:"type"`
	}
	out := struct {
		Summaries []summary `json:"inferenceProfileSummaries"`
	}{Summaries: []summary{}}
	if typ != "APPLICATION" {
		for _, id := range s.opts.Models {
			geo, base, ok := strings.Cut(id, ".")
			if !ok || !strings.Contains(base, ".") {
				continue // a foundation model ID, not a profile
			}
			regions := profileRegions[geo]
			if regions == nil {
				regions = []string{s.opts.Region}
			}
			var models []model
			for _, r := range regions {
				models = append(models, model{"arn:aws:bedrock:" + r + "::foundation-model/" + base})
			}
			out.Summaries = append(out.Summaries, summary{
				Name: strings.ToUpper(geo) + " " + base, Description: "Routes requests to " + base + " in " + strings.Join(regions, ", "),
				CreatedAt: "2025-09-29T00:00:00Z", UpdatedAt: "2025-09-29T00:00:00Z",
				ARN:    "arn:aws:bedrock:" + s.opts.Region + ":" + s.opts.Account + ":inference-profile/" + id,
				Models: models, ID: id, Status: "ACTIVE", Type: "SYSTEM_DEFINED",
			})
		}
	}
	op.w.Header().Set("Content-Type", "application/json")
	return writeJSON(op.w, out)
}

// messagesRequest is the part of an Anthropic Messages request body Bedrock checks.
type messagesRequest struct {
	AnthropicVersion string            `json:"anthropic_version"`
	MaxTokens        int               `json:"max_tokens"`
	Messages         []json.RawMessage `json:"messages"`
	Model            *string           `json:"model"`
}

// checkInvoke validates an invocation as Bedrock does: a known model, and an Anthropic
// Messages body with the required fields and no "model" (the model is in the path).
func (s *Server) checkInvoke(op *operation) *apiError {
	if !slices.Contains(s.opts.Models, op.call.ModelID) {
		return fail(http.StatusBadRequest, "ValidationException", "The provided model identifier is invalid.")
	}
	var req messagesRequest
	if err := json.Unmarshal(op.body, &req); err != nil {
		return fail(http.StatusBadRequest, "ValidationException", "Malformed input request: %v, please reformat your input and try again.", err)
	}
	switch {
	case req.AnthropicVersion != AnthropicVersion:
		return fail(http.StatusBadRequest, "ValidationException", "invalid beta flag or anthropic_version %q: want %s", req.AnthropicVersion, AnthropicVersion)
	case req.MaxTokens <= 0:
		return fail(http.StatusBadRequest, "ValidationException", "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.")
	case len(req.Messages) == 0:
		return fail(http.StatusBadRequest, "ValidationException", "Malformed input request: #: required key [messages] not found, please reformat your input and try again.")
	case req.Model != nil:
		return fail(http.StatusBadRequest, "ValidationException", "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.")
	}
	return nil
}

// message is the Anthropic Messages response for the server's reply.
func (s *Server) message(modelID string) map[string]any {
	return map[string]any{
		"id": "msg_bdrk_01standin", "type": "message", "role": "assistant", "model": foundationModel(modelID),
		"content":     []map[string]any{{"type": "text", "text": s.opts.Reply}},
		"stop_reason": "end_turn", "stop_sequence": nil,
		"usage": map[string]int{"input_tokens": 12, "output_tokens": s.outputTokens()},
	}
}

func (s *Server) outputTokens() int { return max(1, len(strings.Fields(s.opts.Reply))) }

// foundationModel is the model name inside a model or profile ID:
// us.anthropic.claude-x-v1:0 → claude-x.
func foundationModel(id string) string {
	if i := strings.Index(id, "anthropic."); i >= 0 {
		id = id[i+len("anthropic."):]
	}
	if i := strings.LastIndex(id, "-v"); i > 0 {
		id = id[:i]
	}
	return id
}

func (s *Server) invokeModel(op *operation) *apiError {
	if err := s.checkInvoke(op); err != nil {
		return err
	}
	h := op.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Bedrock-Input-Token-Count", "12")
	h.Set("X-Amzn-Bedrock-Output-Token-Count", strconv.Itoa(s.outputTokens()))
	h.Set("X-Amzn-Bedrock-Invocation-Latency", "1")
	return writeJSON(op.w, s.message(op.call.ModelID))
}

func (s *Server) invokeModelWithResponseStream(op *operation) *apiError {
	if err := s.checkInvoke(op); err != nil {
		return err
	}
	if err := s.expireIfDue(op); err != nil {
		return err
	}
	msg := s.message(op.call.ModelID)
	msg["content"], msg["stop_reason"] = []any{}, nil
	msg["usage"] = map[string]int{"input_tokens": 12, "output_tokens": 1}
	events := []map[string]any{{"type": "message_start", "message": msg}}
	stop := "end_turn"
	if s.callsTool(op.body) {
		events, stop = append(events, s.toolUseEvents()...), "tool_use"
	} else {
		events = append(events, s.textEvents()...)
	}
	events = append(events,
		map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": map[string]int{"output_tokens": s.outputTokens()}},
		map[string]any{"type": "message_stop", "amazon-bedrock-invocationMetrics": map[string]int{
			"inputTokenCount": 12, "outputTokenCount": s.outputTokens(), "invocationLatency": 1, "firstByteLatency": 1,
		}},
	)
	h := op.w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	h.Set("X-Amzn-Bedrock-Content-Type", "application/json")
	// The whole stream goes out in one body with a Content-Length, not chunk by chunk as
	// Bedrock sends it: with chunked framing the AWS SDK for Go, which the stand-in's own tests
	// use as an independent client, now and then failed the read after the last event with
	// "use of closed network connection" (10 of 900 runs; aws/aws-sdk-go-v2#2737 and #1825
	// report the same transport race). The event-stream framing, which is what Claude Code and
	// the SDK decode, is the same either way.
	enc := eventstream.NewEncoder()
	var body bytes.Buffer
	for _, e := range events {
		if err := writeChunk(enc, &body, e); err != nil {
			return fail(http.StatusInternalServerError, "InternalServerException", "%v", err)
		}
	}
	h.Set("Content-Length", strconv.Itoa(body.Len()))
	op.w.WriteHeader(http.StatusOK)
	_, _ = op.w.Write(body.Bytes())
	s.mu.Lock()
	s.streams++
	s.mu.Unlock()
	return nil
}

// textEvents stream the reply as one text block, a word a delta.
func (s *Server) textEvents() []map[string]any {
	events := []map[string]any{{"type": "content_block_start", "index": 0, "content_block": map[string]string{"type": "text", "text": ""}}}
	for _, word := range strings.SplitAfter(s.opts.Reply, " ") {
		events = append(events, map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]string{"type": "text_delta", "text": word}})
	}
	return append(events, map[string]any{"type": "content_block_stop", "index": 0})
}

// writeChunk writes one "chunk" event: a PayloadPart whose bytes are the JSON event.
func writeChunk(enc *eventstream.Encoder, w io.Writer, event any) error {
	data, err := json.Marshal(event)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(map[string]string{"bytes": base64.StdEncoding.EncodeToString(data)})
	if err != nil {
		return err
	}
	var msg eventstream.Message
	msg.Headers.Set(":event-type", eventstream.StringValue("chunk"))
	msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
	msg.Headers.Set(":message-type", eventstream.StringValue("event"))
	msg.Payload = payload
	if err := enc.Encode(w, msg); err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) *apiError {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return fail(http.StatusInternalServerError, "InternalServerException", "%v", err)
	}
	_, _ = w.Write(buf.Bytes())
	return nil
}
