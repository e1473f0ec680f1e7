// Package bedrocktest is a stand-in for Amazon Bedrock on loopback, for end-to-end tests
// of real clients (Claude Code, the AWS SDKs). It serves the three calls Claude Code makes
// and checks what Bedrock checks before it answers:
//
//   - ListInferenceProfiles, GET /inference-profiles
//     (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListInferenceProfiles.html)
//   - InvokeModel, POST /model/{modelId}/invoke
//     (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html)
//   - InvokeModelWithResponseStream, POST /model/{modelId}/invoke-with-response-stream
//     (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html):
//     an AWS event stream of "chunk" events whose PayloadPart holds base64 "bytes"
//     (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ResponseStream.html,
//     API_runtime_PayloadPart.html), each an Anthropic Messages streaming event
//     (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html).
//
// Every request must carry a valid SigV4 signature (service "bedrock", the server's Region)
// made with credentials the test registered with Allow, normally the ones the credential
// process printed. Errors have Bedrock's REST-JSON shape: the HTTP status, the error code in
// the X-Amzn-ErrorType header and {"message": ...} in the body
// (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization,
// https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html).
package bedrocktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Operations, as Call.Operation names them.
const (
	ListInferenceProfiles         = "ListInferenceProfiles"
	InvokeModel                   = "InvokeModel"
	InvokeModelWithResponseStream = "InvokeModelWithResponseStream"
)

// Options configure the stand-in.
type Options struct {
	// Region is the only Region whose credential scope is accepted (required).
	Region string
	// Models are the model or inference-profile IDs it serves; invoking another one is a
	// ValidationException, as Bedrock answers for an unknown model identifier.
	Models []string
	// Reply is the text of every answer.
	Reply string
	// Account owns the inference profiles' ARNs; default 123456789012.
	Account string
	// Scripted sessions (session.go): ToolUse makes a stream that offers the tool, and holds
	// no tool result yet, answer with a call of it; after ExpireAfterStreams streams the
	// credentials known so far expire (OnExpire runs once, then their requests get Bedrock's
	// 403 ExpiredTokenException); Credentials finds credentials issued later (a fake STS's).
	ToolUse            *ToolUse
	ExpireAfterStreams int
	OnExpire           func()
	Credentials        func(accessKeyID string) (aws.Credentials, bool)
}

// Call is one request the stand-in received.
type Call struct {
	Operation   string // one of the operation constants, or the method and path when unknown
	ModelID     string // the modelId path parameter, decoded
	AccessKeyID string // of a request whose signature verified
	Error       string // the error code answered; "" for success
	Message     string // the error message answered
	UserAgent   string
}

// Server is a running stand-in.
type Server struct {
	URL  string
	opts Options

	mu      sync.Mutex
	keys    map[string]aws.Credentials
	calls   []Call
	streams int                  // streams answered
	expired map[string]time.Time // access key -> when it expired
}

// New starts the stand-in on loopback; it stops when the test ends.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Region == "" {
		t.Fatal("bedrocktest.New: Region is required")
	}
	if o.Account == "" {
		o.Account = "123456789012"
	}
	s := &Server{opts: o, keys: map[string]aws.Credentials{}, expired: map[string]time.Time{}}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Allow registers credentials whose signatures the stand-in accepts until they expire.
func (s *Server) Allow(c aws.Credentials) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[c.AccessKeyID] = c
}

func (s *Server) credentials(accessKeyID string) (aws.Credentials, bool) {
	s.mu.Lock()
	c, ok := s.keys[accessKeyID]
	at, expired := s.expired[accessKeyID]
	s.mu.Unlock()
	if !ok && s.opts.Credentials != nil {
		c, ok = s.opts.Credentials(accessKeyID)
	}
	if expired {
		c.CanExpire, c.Expires = true, at
	}
	return c, ok
}

// Calls returns every request received so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

// apiError is an error in Bedrock's wire shape.
type apiError struct {
	status        int
	code, message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func fail(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.code)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": e.message})
}

// operation is a verified request: its call record, body and response writer.
type operation struct {
	call Call
	body []byte
	w    http.ResponseWriter
	r    *http.Request
}

func (s *Server) handler() http.Handler {
	routes := map[string]func(*operation) *apiError{
		"GET /inference-profiles":                           s.listInferenceProfiles,
		"POST /model/{modelId}/invoke":                      s.invokeModel,
		"POST /model/{modelId}/invoke-with-response-stream": s.invokeModelWithResponseStream,
	}
	names := map[string]string{
		"GET /inference-profiles":                           ListInferenceProfiles,
		"POST /model/{modelId}/invoke":                      InvokeModel,
		"POST /model/{modelId}/invoke-with-response-stream": InvokeModelWithResponseStream,
	}
	mux := http.NewServeMux()
	for pattern, serve := range routes {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			s.serve(w, r, names[pattern], serve)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, r.Method+" "+r.URL.Path, func(*operation) *apiError {
			return fail(http.StatusNotFound, "UnknownOperationException", "No operation matches %s %s", r.Method, r.URL.Path)
		})
	})
	return mux
}

// serve verifies the signature, runs the operation and records the call.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, name string, run func(*operation) *apiError) {
	op := &operation{call: Call{Operation: name, ModelID: r.PathValue("modelId"), UserAgent: r.Header.Get("User-Agent")}, w: w, r: r}
	var err *apiError
	body, rerr := io.ReadAll(io.LimitReader(r.Body, 20<<20+1))
	switch {
	case rerr != nil:
		err = fail(http.StatusBadRequest, "ValidationException", "read the request body: %v", rerr)
	case len(body) > 20<<20:
		err = fail(http.StatusRequestEntityTooLarge, "ValidationException", "The request body exceeds 20 MB")
	default:
		op.body = body
		op.call.AccessKeyID, err = s.verify(r, body, time.Now())
		if err == nil {
			err = run(op)
		}
	}
	if err != nil {
		op.call.Error, op.call.Message = err.code, err.message
		writeError(w, err)
	}
	s.record(op.call)
}
