package bedrocktest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// ToolUse is the tool call a scripted session's first turn answers with.
type ToolUse struct {
	Name  string         // a tool the request offers, e.g. "Glob"
	Input map[string]any // its arguments
}

// callsTool reports whether a stream request is answered with the ToolUse call: the request
// offers the tool and its last message holds no tool_result yet.
func (s *Server) callsTool(body []byte) bool {
	if s.opts.ToolUse == nil {
		return false
	}
	type named struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	var req struct {
		Tools    []named `json:"tools"`
		Messages []struct {
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if json.Unmarshal(body, &req) != nil || len(req.Messages) == 0 {
		return false
	}
	offered := slices.ContainsFunc(req.Tools, func(t named) bool { return t.Name == s.opts.ToolUse.Name })
	var blocks []named
	_ = json.Unmarshal(req.Messages[len(req.Messages)-1].Content, &blocks) // a string content has no blocks
	answered := slices.ContainsFunc(blocks, func(b named) bool { return b.Type == "tool_result" })
	return offered && !answered
}

// toolUseEvents stream one tool_use block of the ToolUse call (Anthropic's streaming
// format: the input as input_json_delta).
func (s *Server) toolUseEvents() []map[string]any {
	input, _ := json.Marshal(s.opts.ToolUse.Input)
	return []map[string]any{
		{"type": "content_block_start", "index": 0, "content_block": map[string]any{"type": "tool_use", "id": "toolu_bdrk_01standin", "name": s.opts.ToolUse.Name, "input": map[string]any{}}},
		{"type": "content_block_delta", "index": 0, "delta": map[string]string{"type": "input_json_delta", "partial_json": string(input)}},
		{"type": "content_block_stop", "index": 0},
	}
}

// expireIfDue expires the credentials known so far once ExpireAfterStreams streams have
// been answered: OnExpire runs once, and a request signed with such credentials gets 403
// ExpiredTokenException, as Bedrock answers for expired session credentials.
func (s *Server) expireIfDue(op *operation) *apiError {
	s.mu.Lock()
	due := s.opts.ExpireAfterStreams > 0 && s.streams == s.opts.ExpireAfterStreams && len(s.expired) == 0
	if due {
		now := time.Now()
		for k := range s.keys {
			s.expired[k] = now
		}
		s.expired[op.call.AccessKeyID] = now
	}
	_, expired := s.expired[op.call.AccessKeyID]
	s.mu.Unlock()
	if due && s.opts.OnExpire != nil {
		s.opts.OnExpire()
	}
	if expired {
		return fail(http.StatusForbidden, "ExpiredTokenException", "The security token included in the request is expired")
	}
	return nil
}

// Expired returns the access keys the server expired.
func (s *Server) Expired() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.expired))
	for k := range s.expired {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
