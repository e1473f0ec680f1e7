package landing

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ccwb.dev/contract/distribution"
)

// The function's environment, set by the distribution stack (constructs/distribution).
const (
	EnvBucket   = "CCWB_BUCKET"    // the distribution bucket
	EnvSigner   = "CCWB_ALB_ARN"   // the load balancer that signs x-amzn-oidc-data
	EnvClientID = "CCWB_CLIENT_ID" // the web client the load balancer signs users in with
)

// LinkLifetime is how long a download's presigned link lives: the browser follows it at once.
const LinkLifetime = 5 * time.Minute

// MaxResponseBytes is the load balancer's limit on a Lambda response
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html):
// downloads go through presigned links, never through the function.
const MaxResponseBytes = 1 << 20

// Store is the distribution bucket as the page needs it.
type Store interface {
	// Latest reads latest.json.
	Latest(ctx context.Context) (*distribution.Latest, error)
	// Presign returns a GET link to key that saves as fileName and expires after lifetime.
	Presign(ctx context.Context, key, fileName string, lifetime time.Duration) (string, error)
}

// Download is one line of the download log.
type Download struct {
	Event    string `json:"event"` // "download"
	Subject  string `json:"sub"`
	Email    string `json:"email,omitempty"`
	Profile  string `json:"package"`
	Version  string `json:"version"`
	Platform string `json:"platform"`
	File     string `json:"file"`
	SourceIP string `json:"source_ip,omitempty"`
	TraceID  string `json:"trace_id,omitempty"`
	Time     string `json:"time"`
}

// Problem is a line of the function's log for a request refused ("rejected") or failed
// ("error").
type Problem struct {
	Event  string `json:"event"`
	Reason string `json:"reason"`
}

// Handler serves the page and the downloads to users the load balancer signed in.
type Handler struct {
	Verifier *Verifier
	Store    Store
	// Log receives the download log, one JSON line per download (the function's stdout).
	Log io.Writer
	Now func() time.Time
}

// Serve answers one request the load balancer forwarded.
func (h *Handler) Serve(ctx context.Context, req events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	if req.HTTPMethod != http.MethodGet && req.HTTPMethod != http.MethodHead {
		return text(http.StatusMethodNotAllowed, "only GET"), nil
	}
	user, err := h.Verifier.Verify(ctx, header(req, HeaderData))
	if err != nil {
		h.logLine(Problem{Event: "rejected", Reason: err.Error()})
		return text(http.StatusUnauthorized, "not signed in: reload the page to sign in again"), nil
	}
	latest, err := h.Store.Latest(ctx)
	if err != nil {
		h.logLine(Problem{Event: "error", Reason: err.Error()})
		return text(http.StatusServiceUnavailable, "no package has been published yet: ask your platform team to run `ccwb distribute --publish`"), nil
	}
	switch {
	case req.Path == "/" || req.Path == "":
		body, err := renderPage(latest, user, header(req, "user-agent"))
		if err != nil {
			return events.ALBTargetGroupResponse{}, fmt.Errorf("render the page: %w", err)
		}
		return respond(http.StatusOK, "text/html; charset=utf-8", string(body)), nil
	case req.Path == "/"+distribution.SumsFile:
		return h.redirect(ctx, user, req, latest, distribution.SumsFile, latest.Sums, distribution.SumsFile)
	case strings.HasPrefix(req.Path, "/download/"):
		p := strings.TrimPrefix(req.Path, "/download/")
		key, ok := latest.Archives[p]
		if !ok {
			return text(http.StatusNotFound, "no download for "+p), nil
		}
		return h.redirect(ctx, user, req, latest, p, key, DownloadName(latest, p))
	}
	return text(http.StatusNotFound, "not found"), nil
}

// redirect logs the download, then sends the browser to a presigned link.
func (h *Handler) redirect(ctx context.Context, u User, req events.ALBTargetGroupRequest, l *distribution.Latest, platform, key, file string) (events.ALBTargetGroupResponse, error) {
	link, err := h.Store.Presign(ctx, key, file, LinkLifetime)
	if err != nil {
		return events.ALBTargetGroupResponse{}, fmt.Errorf("presign %s: %w", key, err)
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	ip, _, _ := strings.Cut(header(req, "x-forwarded-for"), ",")
	h.logLine(Download{
		Event: "download", Subject: u.Subject, Email: u.Email, Profile: l.Profile, Version: l.Version,
		Platform: platform, File: file, SourceIP: strings.TrimSpace(ip), TraceID: header(req, "x-amzn-trace-id"),
		Time: now().UTC().Format(time.RFC3339),
	})
	r := respond(http.StatusFound, "text/plain; charset=utf-8", "")
	r.Headers["Location"] = link
	return r, nil
}

// logLine writes one JSON line to the log (the function's stdout, its log group).
func (h *Handler) logLine(v any) {
	line, _ := json.Marshal(v)
	fmt.Fprintf(h.Log, "%s\n", line)
}

// header is a request header by name, whatever its case.
func header(req events.ALBTargetGroupRequest, name string) string {
	for k, v := range req.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func text(status int, msg string) events.ALBTargetGroupResponse {
	return respond(status, "text/plain; charset=utf-8", msg+"\n")
}

func respond(status int, contentType, body string) events.ALBTargetGroupResponse {
	return events.ALBTargetGroupResponse{
		StatusCode: status, StatusDescription: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Headers: map[string]string{
			"Content-Type": contentType, "Cache-Control": "no-store",
			"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'",
			"X-Content-Type-Options":  "nosniff",
		},
		Body: body,
	}
}
