package callback

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The success page carries the note it is given (the upgrade notice), which the AWS SDKs
// would drop from stderr.
func TestSuccessPageShowsTheNote(t *testing.T) {
	srv, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.SuccessNote = "ccwb: Claude Code with Amazon Bedrock 1.5.0 is available (you have 1.4.0)"
	done := make(chan error, 1)
	go func() { _, err := srv.Wait(context.Background(), "st"); done <- err }()
	resp, err := http.Get(strings.Replace(srv.RedirectURL(), "localhost", "127.0.0.1", 1) + "?state=st&code=c")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `<p id="note">ccwb: Claude Code with Amazon Bedrock 1.5.0 is available (you have 1.4.0)</p>`) {
		t.Errorf("success page lacks the note:\n%s", body)
	}
}
