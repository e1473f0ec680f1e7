// Package callback is the loopback server that receives the authorization redirect: it
// listens on 127.0.0.1 only, answers only its callback path, checks the state, and shows the
// user a small success or failure page. A request whose state is not this login's (a stale
// tab, or any web page the user visits sending its browser to the loopback port) gets an
// error page and is otherwise ignored: only the real redirect, or the timeout, ends the wait.
package callback

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Path is the callback path registered at the IdP: http://localhost:<port>/callback.
const Path = "/callback"

// ErrStateMismatch means the redirect carried another login's state: a stale tab or a forged
// request.
var ErrStateMismatch = errors.New("the login answer does not belong to this login (state mismatch): close old login tabs and run the command again")

// IdPError is an error the identity provider sent back to the callback.
type IdPError struct {
	Code, Description string
}

func (e *IdPError) Error() string {
	msg := "the identity provider refused the login: " + e.Code
	if e.Description != "" {
		msg += " (" + e.Description + ")"
	}
	if e.Code == "access_denied" {
		msg += "; ask your administrator to assign you to the Claude Code application"
	}
	return msg
}

// ParseQuery reads the callback's query: the authorization code when state matches, the
// IdP's error otherwise.
func ParseQuery(q url.Values, state string) (string, error) {
	if e := q.Get("error"); e != "" {
		if q.Get("state") != state {
			return "", ErrStateMismatch
		}
		return "", &IdPError{Code: e, Description: q.Get("error_description")}
	}
	if state == "" || q.Get("state") != state {
		return "", ErrStateMismatch
	}
	code := q.Get("code")
	if code == "" {
		return "", errors.New("the login answer has no authorization code: run the command again")
	}
	return code, nil
}

// Server is a listening callback server.
type Server struct {
	ln         net.Listener
	port       int
	host, path string // of the redirect URI
	// SuccessNote is a line the success page adds (the upgrade notice), "" for none.
	SuccessNote string
}

// Listen binds 127.0.0.1:port for the redirect URI http://localhost:<port>/callback; a port
// taken by another program gives an error naming the callback_port setting.
func Listen(port int) (*Server, error) { return ListenAt(port, "localhost", Path) }

// ListenAt binds 127.0.0.1:port (0: any free port) for the redirect URI
// http://<host>:<port><path>.
func ListenAt(port int, host, path string) (*Server, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if addrInUse(err) {
			return nil, fmt.Errorf("login callback port %d on 127.0.0.1 is in use by another program: stop it, or ask your administrator for a package with another callback_port (the port must match the redirect URI registered at the identity provider)", port)
		}
		return nil, fmt.Errorf("listen for the login callback on 127.0.0.1:%d (the callback_port setting): %w", port, err)
	}
	return &Server{ln: ln, port: ln.Addr().(*net.TCPAddr).Port, host: host, path: path}, nil
}

// RedirectURL is the redirect URI to send in the authorization request.
func (s *Server) RedirectURL() string {
	return "http://" + s.host + ":" + strconv.Itoa(s.port) + s.path
}

// Close stops listening.
func (s *Server) Close() error { return s.ln.Close() }

type outcome struct {
	code string
	err  error
}

// ignoredMessage is the page a request with another login's state gets.
const ignoredMessage = "This answer does not belong to the sign-in in progress (state mismatch), so it was ignored. Finish signing in in the tab the command opened; close old sign-in tabs."

// Wait serves until the callback of this login (its state) arrives or ctx ends, and returns
// the authorization code. Requests with another state are answered and ignored.
func (s *Server) Wait(ctx context.Context, state string) (string, error) {
	results := make(chan outcome, 1)
	mux := http.NewServeMux()
	mux.HandleFunc(s.path, func(w http.ResponseWriter, r *http.Request) {
		code, err := ParseQuery(r.URL.Query(), state)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case errors.Is(err, ErrStateMismatch):
			w.WriteHeader(http.StatusBadRequest)
			writePage(w, "Not this sign-in", ignoredMessage, "")
			return // keep waiting for the real redirect
		case err != nil:
			w.WriteHeader(http.StatusBadRequest)
			writePage(w, "Sign-in failed", err.Error(), "")
		default:
			writePage(w, "Signed in", "You are signed in to Claude Code with Amazon Bedrock. You can close this tab.", s.SuccessNote)
		}
		select {
		case results <- outcome{code, err}:
		default: // a second request after the first answer: ignore
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(s.ln) }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx) // lets the page reach the browser
	}()
	select {
	case o := <-results:
		return o.code, o.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// writePage writes the page the browser shows: a title, a message and an optional note, each
// HTML-escaped (an error's text comes from the identity provider's redirect). Plain
// formatting, not html/template: the template package's initialisation ran at every start of
// the credential process, its cached path too (docs/architecture.md, "The cached path is the
// hot path").
func writePage(w io.Writer, title, message, note string) {
	title, message = html.EscapeString(title), html.EscapeString(message)
	if note != "" {
		note = `<p id="note">` + html.EscapeString(note) + `</p>`
	}
	_, _ = fmt.Fprintf(w, `<!doctype html>
<html><head><meta charset="utf-8"><title>%s</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style>
</head><body><h1>%s</h1><p>%s</p>%s</body></html>`, title, title, message, note)
}
