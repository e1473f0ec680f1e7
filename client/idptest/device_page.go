package idptest

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/chromedp/chromedp"
)

// DevicePath is the provider's verification page (verification_uri): the user enters the
// code there, signs in, and approves or denies the device.
const DevicePath = "/device"

var devicePage = template.Must(template.New("device").Parse(`<!doctype html>
<html><head><title>Device sign-in - idptest</title></head>
<body><h1>Sign in on another device</h1>
{{if .Message}}<p id="message">{{.Message}}</p>{{end}}
<form method="post" action="/device">
<label>Code <input id="user_code" name="user_code" value="{{.UserCode}}"></label>
<label>Username <input id="username" name="username" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="approve" name="decision" value="approve" type="submit">Allow</button>
<button id="deny" name="decision" value="deny" type="submit">Deny</button>
</form></body></html>`))

// deviceHandler shows the verification form (GET, the code filled in from
// verification_uri_complete) and records the user's decision (POST).
func (p *Provider) deviceHandler(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		_ = devicePage.Execute(w, map[string]string{"UserCode": r.URL.Query().Get("user_code")})
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
			return
		}
		f := r.PostForm
		approve := f.Get("decision") == "approve"
		ok, err := p.storage.decideDevice(f.Get("user_code"), f.Get("username"), f.Get("password"), approve)
		msg := "Device approved. You can return to your terminal."
		switch {
		case err != nil:
			w.WriteHeader(http.StatusBadRequest)
			msg = err.Error()
		case !ok:
			w.WriteHeader(http.StatusUnauthorized)
			msg = "wrong username or password"
		case !approve:
			msg = "Device denied."
		}
		_ = devicePage.Execute(w, map[string]string{"UserCode": f.Get("user_code"), "Message": msg})
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// ApproveDevice opens a verification URL (verification_uri_complete, or verification_uri
// with the code typed in), signs in as u and allows the device, as a user does on another
// device.
func (c *Chromium) ApproveDevice(verificationURL, userCode string, u User) error {
	ctx, cancel := context.WithTimeout(c.ctx, 90*time.Second)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(verificationURL),
		chromedp.WaitVisible(chromedp.ID("user_code")),
		chromedp.SetValue(chromedp.ID("user_code"), userCode),
		chromedp.SendKeys(chromedp.ID("username"), u.Username),
		chromedp.SendKeys(chromedp.ID("password"), u.Password),
		chromedp.Click(chromedp.ID("approve")),
		chromedp.WaitVisible(chromedp.ID("message")),
	)
	if err != nil {
		return fmt.Errorf("drive chromium through the device page: %w", err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("message")))
	if err != nil {
		return fmt.Errorf("read the device page's answer: %w", err)
	}
	if msg != "Device approved. You can return to your terminal." {
		return fmt.Errorf("the device page answered %q", msg)
	}
	return nil
}
