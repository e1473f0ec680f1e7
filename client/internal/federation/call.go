package federation

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"time"
)

// defaultHTTP is the client of the calls given none: each attempt bounded to 30 s.
var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// Call sends the request build makes and decodes a 200 answer with decodeOK and any other
// with decodeErr, retrying throttling, 5xx and network errors (up to MaxAttempts, with capped
// exponential backoff and full jitter), through h (nil: a client that bounds each attempt to
// 30 s). Federation's calls and Identity Center's use it.
func Call(ctx context.Context, h *http.Client, build func() (*http.Request, error), decodeOK func([]byte) error, decodeErr func(status int, header http.Header, body []byte) *APIError) error {
	if h == nil {
		h = defaultHTTP
	}
	var last error
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		if attempt > 1 {
			backoff := min(100*time.Millisecond<<(attempt-2), 4*time.Second)
			d := time.Duration(rand.Int64N(int64(backoff))) + backoff/2
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
		}
		req, err := build()
		if err != nil {
			return err
		}
		resp, err := h.Do(req.WithContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			last = err
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			last = err
			continue
		}
		if resp.StatusCode == http.StatusOK {
			return decodeOK(body)
		}
		apiErr := decodeErr(resp.StatusCode, resp.Header, body)
		if !apiErr.retryable() {
			return apiErr
		}
		last = apiErr
	}
	return last
}
