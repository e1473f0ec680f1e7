package otlptest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestReceiverRecordsExports(t *testing.T) {
	r := NewReceiver(t)
	pemBytes, err := os.ReadFile(r.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("CAFile holds no certificate")
	}
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	post := func(c *http.Client, path string) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, r.URL+path, strings.NewReader("\x0a\x00"))
		req.Header.Set("Content-Type", "application/x-protobuf")
		req.Header.Set("Authorization", "Bearer t")
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if code, err := post(trusting, "/v1/metrics"); err != nil || code != http.StatusOK {
		t.Fatalf("export: %d %v", code, err)
	}
	if code, err := post(trusting, "/v2/metrics"); err != nil || code != http.StatusNotFound {
		t.Errorf("unknown path: %d %v, want 404", code, err)
	}
	if _, err := post(&http.Client{}, "/v1/logs"); err == nil {
		t.Error("a client that was not given CAFile trusted the receiver")
	}
	got := r.Requests()
	if len(got) != 1 || got[0].Path != "/v1/metrics" || got[0].Header.Get("Authorization") != "Bearer t" || got[0].Size != 2 {
		t.Errorf("recorded %+v", got)
	}
}
