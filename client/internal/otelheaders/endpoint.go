package otelheaders

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// The OTLP exporter's endpoint variables, as the OpenTelemetry specification defines them
// (https://opentelemetry.io/docs/specs/otel/protocol/exporter/): the base endpoint, to which
// an OTLP/HTTP exporter appends v1/<signal>, and the per-signal endpoints, which "take
// precedence" and are used as-is. The exporter honours scheme, host, port and path.
const EnvEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT"

// SignalEndpoints are the per-signal variables and the path each signal gets under the base.
var SignalEndpoints = []struct{ Env, Path string }{
	{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "v1/metrics"},
	{"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "v1/logs"},
	{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "v1/traces"},
}

// EnvInsecureTLS is Node's (and Bun's) switch that turns certificate checks off: with it at
// "0", Claude Code would send the token to whoever answers for the collector's name.
const EnvInsecureTLS = "NODE_TLS_REJECT_UNAUTHORIZED"

// Destination is where the headers may go: the profile's collector.
type Destination struct {
	Endpoint       string // the profile's otel_endpoint
	AllowPlainHTTP bool   // the deployment allowed an http:// collector
}

// Check reports why Claude Code, running with this environment, could send the headers
// anywhere but the collector: nil only when OTEL_EXPORTER_OTLP_ENDPOINT is the collector and
// every per-signal endpoint that is set is the collector or its signal path, over https (or
// plain http where the deployment allowed it). Claude Code runs the helper with its own
// environment: the one it started in plus its merged settings' env. Claude Code 2.1.332
// drops a project's redirect of the OTLP endpoint, but the start-up environment (a
// repository's .envrc, a wrapper script, an older Claude Code) still outranks the shipped
// settings (docs/platform/claude-code.md), so this is where a redirected endpoint is caught.
// The error is one line.
func (d Destination) Check(lookup func(string) (string, bool)) error {
	if d.Endpoint == "" {
		return errors.New("the profile has no otel_endpoint (monitoring is not deployed), so no collector may receive the token")
	}
	ours, err := normalise(d.Endpoint)
	if err != nil {
		return fmt.Errorf("the profile's otel_endpoint %q is not usable (%v); ask your administrator for a fresh package", d.Endpoint, err)
	}
	if strings.HasPrefix(ours, "http://") && !d.AllowPlainHTTP {
		return fmt.Errorf("the collector %s is plain http and the deployment did not allow it (monitoring.allow_plain_http), so the token would travel readable", d.Endpoint)
	}
	if v, _ := lookup(EnvInsecureTLS); v == "0" && !d.AllowPlainHTTP {
		return fmt.Errorf("%s=0 turns off Claude Code's certificate checks, so anyone on the path could pose as the collector %s and read the token; remove it from the environment and settings", EnvInsecureTLS, d.Endpoint)
	}
	base, ok := lookup(EnvEndpoint)
	if !ok || base == "" {
		return fmt.Errorf("%s is not set, so telemetry would go to the OpenTelemetry default (localhost), not to the collector %s", EnvEndpoint, d.Endpoint)
	}
	if got, err := normalise(base); err != nil || got != ours {
		return fmt.Errorf("%s is %q, not the collector %s of this profile (a project setting or the environment Claude Code started in changed it)", EnvEndpoint, base, d.Endpoint)
	}
	for _, s := range SignalEndpoints {
		v, ok := lookup(s.Env)
		if !ok || v == "" {
			continue
		}
		if got, err := normalise(v); err != nil || (got != ours && got != SignalURL(ours, s.Path)) {
			return fmt.Errorf("%s is %q, not the collector %s of this profile (a project setting or the environment Claude Code started in changed it)", s.Env, v, SignalURL(d.Endpoint, s.Path))
		}
	}
	return nil
}

// normalise spells an endpoint URL one way: lower-case scheme and host, the port always
// written (443 and 80 by default), the path without a trailing slash. Anything beyond
// scheme, host, port and path (user info, query, fragment) makes it unusable as ours.
func normalise(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" || u.Host == "" || u.Opaque != "" {
		return "", errors.New("not an absolute http(s) URL")
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errors.New("holds user info, a query or a fragment")
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[scheme]
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port) + path, nil
}

// SignalURL is where an OTLP/HTTP exporter sends a signal under a base endpoint: the base
// path, a slash, and the signal's path (v1/metrics).
func SignalURL(base, signalPath string) string {
	return strings.TrimSuffix(base, "/") + "/" + signalPath
}
