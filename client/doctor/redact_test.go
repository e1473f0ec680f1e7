package doctor

import (
	"archive/zip"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// Every kind of secret seeded into a bundle's files is gone from every file of the zip.
func TestBundleRemovesSecrets(t *testing.T) {
	seeds := map[string]string{
		"jwt":        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.c2lnbmF0dXJl",
		"access key": "ASIAQWERTYUIOPASDFGH",
		"secret":     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"refresh":    "rt-0123456789abcdef",
		"email":      "jane.doe@example.com",
		"password":   "correct horse",
	}
	files := map[string][]byte{
		"config.json": []byte(`{"profiles":{"p":{"client_secret":"` + seeds["secret"] + `","issuer":"https://idp.example.com","note":"` + seeds["jwt"] + `"}}}`),
		"cache.json":  []byte(`{"refresh_token":"` + seeds["refresh"] + `","id_token_claims":{"email":"` + seeds["email"] + `"},"list":["` + seeds["access key"] + `"]}`),
		"aws-config.txt": []byte("[profile ClaudeCode]\nregion = us-east-1\naws_secret_access_key = " + seeds["secret"] +
			"\nsso_session_token: " + seeds["refresh"] + "\npassword=" + seeds["password"] + "\n"),
	}
	path := filepath.Join(t.TempDir(), "bundle.zip")
	r := NewReport("test", "1", nil)
	if err := WriteBundle(path, r, files, Redactor{}); err != nil {
		t.Fatal(err)
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		for kind, seed := range seeds {
			if strings.Contains(string(b), seed) {
				t.Errorf("%s still holds the %s: %s", f.Name, kind, b)
			}
		}
		if f.Name == "config.json" && !strings.Contains(string(b), "https://idp.example.com") {
			t.Errorf("config.json lost what support needs: %s", b)
		}
		if f.Name == "aws-config.txt" && !strings.Contains(string(b), "region = us-east-1") {
			t.Errorf("aws-config.txt lost what support needs: %s", b)
		}
	}
	for _, n := range []string{"report.json", "version.txt", "config.json", "cache.json", "aws-config.txt"} {
		if !names[n] {
			t.Errorf("the bundle lacks %s", n)
		}
	}
	if got := string(Redactor{KeepIdentity: true}.JSON([]byte(`{"email":"` + seeds["email"] + `"}`))); !strings.Contains(got, seeds["email"]) {
		t.Errorf("KeepIdentity removed the e-mail: %s", got)
	}
}

// Whatever JSON goes in, what comes out is JSON again, and holds no JWT or access key ID.
func FuzzRedact(f *testing.F) {
	f.Add(`{"token":"eyJabcd.eyJefgh.sig","n":1,"l":["ASIAQWERTYUIOPASDFGH"]}`)
	f.Add(`["a@b.co", {"k": {"secret": "s"}}]`)
	f.Add(`"plain"`)
	f.Fuzz(func(t *testing.T, in string) {
		var v any
		if json.Unmarshal([]byte(in), &v) != nil {
			return
		}
		out := Redactor{}.JSON([]byte(in))
		if !json.Valid(out) {
			t.Fatalf("Redact(%q) = %q: not JSON", in, out)
		}
		if jwtRe().Match(out) || accessKeyRe().Match(out) {
			t.Fatalf("Redact(%q) = %q still holds a JWT or an access key ID", in, out)
		}
	})
}
