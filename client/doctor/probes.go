package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	report "ccwb.dev/contract/doctor"
)

// Probes both doctors share: the collector's ingest endpoint and its certificate, and an
// OpenID Provider's discovery document (with the server's clock).

// Collector probes an OTLP/HTTP ingest endpoint as an exporter without a token would: POST
// <endpoint>/v1/metrics with an empty protobuf body. A collector that authenticates answers
// 401; the load balancer answers 502-504 when no collector task is healthy (the collector's
// own health endpoint is reachable only from the load balancer).
func Collector(ctx context.Context, h *http.Client, endpoint string, allowPlainHTTP bool) Result {
	u, err := url.Parse(endpoint)
	switch {
	case err != nil || u.Host == "":
		return Fail("ask your administrator for a package with the collector's https URL", "%q is not a URL", endpoint)
	case u.Scheme == "http" && !allowPlainHTTP:
		return Fail("use the collector's https endpoint (monitoring.certificate_arn)", "%s is plain http: bearer tokens would travel in the clear", endpoint)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(endpoint, "/")+"/v1/metrics", nil)
	if err != nil {
		return Fail("check the endpoint", "%v", err)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := h.Do(req)
	if err != nil {
		return Fail("check the network path to the collector (DNS, proxy, VPN, security groups) and its certificate", "%s is unreachable: %v", u.Host, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c == http.StatusUnauthorized || c == http.StatusForbidden:
		return Pass("%s answers and requires a token (HTTP %d)", u.Host, c)
	case c >= 200 && c < 300:
		return Fail("check the collector's OIDC authenticator: ingest must refuse data without a verified token", "%s accepted telemetry without a token (HTTP %d)", u.Host, c)
	case c == http.StatusBadGateway || c == http.StatusServiceUnavailable || c == http.StatusGatewayTimeout:
		return Fail("check the collector service's tasks and target health (ECS console, or ccwb doctor)", "no healthy collector behind the load balancer (HTTP %d)", c)
	}
	return Warn("check the collector's configuration and logs", "%s answered HTTP %d to an unauthenticated export, expected 401", u.Host, resp.StatusCode)
}

// Certificate dials the endpoint's host over TLS and checks the certificate it presents:
// trusted for the host name (roots nil: the system's), and not expiring within 7 days
// (FAIL) or 30 days (WARN; ACM renews managed certificates 60 days ahead, so one this close
// means renewal stalled: https://docs.aws.amazon.com/acm/latest/userguide/acm-renewal.html).
func Certificate(ctx context.Context, endpoint string, roots *x509.CertPool, now time.Time) Result {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return Fail("check the endpoint", "%q is not a URL", endpoint)
	}
	if u.Scheme != "https" {
		return Skip("%s is not https", endpoint)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	d := tls.Dialer{Config: &tls.Config{ServerName: u.Hostname(), RootCAs: roots, MinVersion: tls.VersionTLS12}}
	conn, err := d.DialContext(ctx, "tcp", host)
	var verr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &verr):
		return Fail("give the load balancer a certificate for "+u.Hostname()+" from a trusted CA (ACM, monitoring.certificate_arn)", "the certificate of %s is not trusted: %v", u.Hostname(), verr.Err)
	case err != nil:
		return Fail("check the network path to "+u.Hostname(), "TLS to %s failed: %v", host, err)
	}
	defer conn.Close()
	leaf := conn.(*tls.Conn).ConnectionState().PeerCertificates[0]
	left := leaf.NotAfter.Sub(now)
	renew := "check the ACM certificate's renewal status (its DNS validation record must still exist)"
	switch {
	case left < 7*24*time.Hour:
		return Fail(renew, "the certificate of %s expires %s (in %s)", u.Hostname(), leaf.NotAfter.Format(time.DateOnly), left.Round(time.Hour))
	case left < 30*24*time.Hour:
		return Warn(renew, "the certificate of %s expires %s (in %d days)", u.Hostname(), leaf.NotAfter.Format(time.DateOnly), int(left.Hours()/24))
	}
	return Pass("the certificate of %s is trusted and valid until %s", u.Hostname(), leaf.NotAfter.Format(time.DateOnly))
}

// Discovery is an OpenID Provider's discovery document as a doctor reads it.
type Discovery struct {
	Issuer                      string `json:"issuer"`
	JWKSURI                     string `json:"jwks_uri"`
	DeviceAuthorizationEndpoint string `json:"device_authorization_endpoint"`
	// Date is the server's clock (the Date header), and Sent and Received bracket the request.
	Date, Sent, Received time.Time `json:"-"`
}

// Discover fetches <issuer>/.well-known/openid-configuration.
func Discover(ctx context.Context, h *http.Client, issuer string) (Discovery, error) {
	var d Discovery
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return d, err
	}
	d.Sent = time.Now()
	resp, err := h.Do(req)
	if err != nil {
		return d, fmt.Errorf("%s is unreachable: %w", u, err)
	}
	defer resp.Body.Close()
	d.Received = time.Now()
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		d.Date = date
	}
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("%s answered HTTP %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&d); err != nil {
		return d, fmt.Errorf("%s is not a discovery document: %w", u, err)
	}
	return d, nil
}

// Skew is how far the local clock is off the server's Date (RFC 9110 section 6.6.1),
// measured against the middle of the request: positive when the local clock is ahead.
func (d Discovery) Skew() (time.Duration, bool) {
	if d.Date.IsZero() {
		return 0, false
	}
	mid := d.Sent.Add(d.Received.Sub(d.Sent) / 2)
	return mid.Sub(d.Date).Truncate(time.Second), true
}

// Ingest is Collector, then for an https endpoint Certificate: the first that does not pass.
func Ingest(ctx context.Context, h *http.Client, endpoint string, allowPlainHTTP bool, roots *x509.CertPool, now time.Time) Result {
	r := Collector(ctx, h, endpoint, allowPlainHTTP)
	if r.Status != report.Pass || !strings.HasPrefix(endpoint, "https://") {
		return r
	}
	if c := Certificate(ctx, endpoint, roots, now); c.Status != report.Pass {
		return c
	}
	return r
}
