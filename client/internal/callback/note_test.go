package callback

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// page answers one redirect with query to a server waiting for state "st", and returns the
// page the browser gets and what the wait returned.
func page(t *testing.T, note, query string) (string, error) {
	t.Helper()
	srv, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.SuccessNote = note
	done := make(chan error, 1)
	go func() { _, err := srv.Wait(context.Background(), "st"); done <- err }()
	resp, err := http.Get(strings.Replace(srv.RedirectURL(), "localhost", "127.0.0.1", 1) + "?" + query)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return string(body), <-done
}

// The success page carries the note it is given (the upgrade notice), which the AWS SDKs
// would drop from stderr.
func TestSuccessPageShowsTheNote(t *testing.T) {
	body, err := page(t, "ccwb: Claude Code with Amazon Bedrock 1.5.0 is available (you have 1.4.0)", "state=st&code=c")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `<p id="note">ccwb: Claude Code with Amazon Bedrock 1.5.0 is available (you have 1.4.0)</p>`) {
		t.Errorf("success page lacks the note:\n%s", body)
	}
	if body, _ := page(t, "", "state=st&code=c"); strings.Contains(body, `id="note"`) {
		t.Error("a success page without a note shows an empty one")
	}
}

// The failure page shows the identity provider's error text as text: markup in it never
// reaches the browser as markup.
func TestFailurePageEscapesTheIdPsText(t *testing.T) {
	body, err := page(t, "", "state=st&error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E+%26+more")
	var idp *IdPError
	if !errors.As(err, &idp) {
		t.Fatalf("Wait = %v, want the IdP's error", err)
	}
	if strings.Contains(body, "<script>") {
		t.Fatalf("the IdP's text reached the page as markup:\n%s", body)
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") {
		t.Errorf("failure page lacks the escaped IdP text:\n%s", body)
	}
}
