package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccwb.dev/cdk/internal/distribute/distributetest"
	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/testenv"
	"ccwb.dev/lambda/landing"
	"ccwb.dev/lambda/landing/albtest"
)

// TestLandingPageInChromium: `ccwb distribute --publish` uploads a package to a local S3
// that checks presigned links (versitygw); a user opens the landing page in headless
// Chromium behind the load balancer's sign-in (the albtest double of authenticate-oidc,
// in front of the real landing handler), signs in at the zitadel OpenID Provider with the
// confidential web client, gets the download of the platform the browser reports, and saves
// the exact bytes of the archive; each download is logged with the verified user.
func TestLandingPageInChromium(t *testing.T) {
	testenv.Slow(t, "drives Chromium through the sign-in and three downloads")
	srv, s3c, _ := distributetest.LocalS3(t, true)
	chrome := idptest.NewChromium(t)
	alb := albtest.New(t)
	const clientID, secret = "landing-web", "landing-web-secret"
	idp := idptest.NewProvider(t, idptest.Options{WebClient: &idptest.WebClient{ID: clientID, Secret: secret, RedirectURI: alb.RedirectURI}})
	var log bytes.Buffer
	h := &landing.Handler{
		Verifier: &landing.Verifier{Signer: alb.ARN, ClientID: clientID, KeysURL: alb.KeysURL, HTTP: alb.KeysClient()},
		Store:    &landing.Bucket{Name: distributetest.BucketName, Client: s3c}, Log: &log,
	}
	alb.Start(t, albtest.Options{Issuer: idp.Issuer, ClientID: clientID, ClientSecret: secret, IdP: idp.Client(), Target: h.Serve})

	pkg := distributetest.Package(t)
	project := distributionProject(t)
	t.Setenv("AWS_ENDPOINT_URL_S3", srv.URL)
	t.Setenv("AWS_CA_BUNDLE", srv.CAFile)
	isolatedAWS(t, srv.AccessKey, srv.SecretKey)
	stdout, stderr, err := ccwb(t, "", "--project", project, "distribute", "--publish", "--package", pkg, "--expires", "1h")
	if err != nil {
		t.Fatalf("ccwb distribute: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "claude-code-with-bedrock-ClaudeCode-1.4.0.tar.gz\thttps://") {
		t.Fatalf("ccwb distribute printed no link on stdout:\n%s", stdout)
	}

	signedIn := false
	for _, c := range []struct {
		platform idptest.Platform
		id       string
		archive  string
	}{
		{idptest.MacOS, distribution.MacOS, pkg + ".tar.gz"},
		{idptest.Windows, distribution.Windows, pkg + ".zip"},
		{idptest.Linux, distribution.Linux, pkg + ".tar.gz"},
	} {
		if err := chrome.Pretend(c.platform); err != nil {
			t.Fatal(err)
		}
		if err := chrome.Open(alb.URL + "/"); err != nil {
			t.Fatal(err)
		}
		if !signedIn { // the first visit goes through the IdP; the session cookie serves the rest
			if err := chrome.SubmitLogin(idptest.DefaultUser); err != nil {
				t.Fatal(err)
			}
			signedIn = true
		}
		text, err := chrome.WaitForText("Signed in as", 30*time.Second)
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.id, err, text)
		}
		shown, err := chrome.Eval(`Array.from(document.querySelectorAll("section.platform")).filter(s => !s.hidden).map(s => s.dataset.platform).join(",")`)
		if err != nil || shown != c.id {
			t.Errorf("a %s browser is offered %q (%v), want only %s", c.platform.Hint, shown, err, c.id)
		}
		checkScreenshot(t, chrome, c.id)
		saved, err := chrome.Download("#download-"+c.id, t.TempDir())
		if err != nil {
			t.Fatalf("%s: %v", c.id, err)
		}
		got, _ := os.ReadFile(saved)
		want, _ := os.ReadFile(c.archive)
		if sha256.Sum256(got) != sha256.Sum256(want) {
			t.Errorf("%s: the browser saved %d bytes, not the archive's %d", c.id, len(got), len(want))
		}
	}
	checkDownloadLog(t, log.String(), []string{distribution.MacOS, distribution.Windows, distribution.Linux})
	if idp.Logins.Load() != 1 {
		t.Errorf("%d sign-ins, want 1 (the load balancer's session cookie serves the later visits)", idp.Logins.Load())
	}
}

// distributionProject is a project with the committed example settings and outputs whose
// distribution bucket is the local one.
func distributionProject(t *testing.T) string {
	t.Helper()
	project := emptyProject(t)
	root := repoRoot(t)
	example, err := os.ReadFile(filepath.Join(root, "settings", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	outs, err := os.ReadFile(filepath.Join(root, "cdk", "internal", "stackoutputs", "testdata", "example-outputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var o map[string]map[string]string
	if err := json.Unmarshal(outs, &o); err != nil {
		t.Fatal(err)
	}
	o["ccwb-distribution"]["DistributionBucket"] = distributetest.BucketName
	outs, _ = json.Marshal(o)
	os.MkdirAll(filepath.Join(project, "settings"), 0o755)
	os.WriteFile(filepath.Join(project, DefaultSettings), example, 0o644)
	os.WriteFile(filepath.Join(project, "settings", "deployment.outputs.json"), outs, 0o644)
	return project
}

// checkScreenshot saves the page's screenshot (CCWB_SCREENSHOTS=<dir> keeps it for a person
// to look at) and checks it is a real rendering: a PNG of a page's size, not one colour.
func checkScreenshot(t *testing.T, chrome *idptest.Chromium, name string) {
	t.Helper()
	shot, err := chrome.Screenshot()
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CCWB_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "landing-"+name+".png"), shot, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 600 || b.Dy() < 400 {
		t.Errorf("screenshot is %dx%d", b.Dx(), b.Dy())
	}
	colours := map[uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	if len(colours) < 4 {
		t.Errorf("screenshot has %d colours: the page did not render", len(colours))
	}
}

// checkDownloadLog wants one download line per platform, each naming the verified user.
func checkDownloadLog(t *testing.T, log string, platforms []string) {
	t.Helper()
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var d landing.Download
		if json.Unmarshal([]byte(line), &d) != nil || d.Event != "download" {
			continue
		}
		if d.Subject != idptest.DefaultUser.Subject || d.Email != idptest.DefaultUser.Email || d.Version != "1.4.0" || d.SourceIP == "" {
			t.Errorf("download log line %s lacks the verified user, version or source", line)
		}
		got = append(got, d.Platform)
	}
	if strings.Join(got, ",") != strings.Join(platforms, ",") {
		t.Errorf("download log has %v, want %v:\n%s", got, platforms, log)
	}
}
