package stackstatus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"ccwb.dev/cdk/internal/stackoutputs"
)

// fakeCloudFormation answers DescribeStacks in the AWS query protocol (form-encoded
// request, XML response), as the real endpoint does.
func fakeCloudFormation(t *testing.T, stacks map[string]string) *cloudformation.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("Action") != "DescribeStacks" {
			http.Error(w, "bad request", 400)
			return
		}
		if !strings.Contains(r.Header.Get("Authorization"), "AKIDEXAMPLE") {
			http.Error(w, "unsigned", 403)
			return
		}
		name := r.Form.Get("StackName")
		body, ok := stacks[name]
		w.Header().Set("Content-Type", "text/xml")
		if !ok {
			w.WriteHeader(400)
			fmt.Fprintf(w, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id %s does not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>`, name)
			return
		}
		fmt.Fprintf(w, `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>
<StackName>%s</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/%s/1</StackId>
<CreationTime>2026-11-01T10:00:00Z</CreationTime><LastUpdatedTime>2026-11-20T10:00:00Z</LastUpdatedTime>
<StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>%s</Outputs></member></Stacks></DescribeStacksResult>
<ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeStacksResponse>`, name, name, body)
	}))
	t.Cleanup(srv.Close)
	return cloudformation.New(cloudformation.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
}

func output(k, v string) string {
	return fmt.Sprintf("<member><OutputKey>%s</OutputKey><OutputValue>%s</OutputValue></member>", k, v)
}

func TestCheck(t *testing.T) {
	api := fakeCloudFormation(t, map[string]string{
		"acme-auth":       output("RoleArn", "arn:aws:iam::1:role/r") + output("Region", "us-east-1"),
		"acme-monitoring": output("OtelCollectorEndpoint", "http://new"),
	})
	stacks := []string{"acme-auth", "acme-monitoring", "acme-analytics"}
	ctx := context.Background()

	current := stackoutputs.Outputs{
		"acme-auth":       {"RoleArn": "arn:aws:iam::1:role/r", "Region": "us-east-1"},
		"acme-monitoring": {"OtelCollectorEndpoint": "http://new"},
	}
	r, err := Check(ctx, api, stacks, "o.json", current)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OutputsCurrent || len(r.Stacks) != 3 || !r.Stacks[0].Exists || r.Stacks[2].Exists {
		t.Fatalf("report = %+v", r)
	}
	if r.Stacks[0].Status != "UPDATE_COMPLETE" || r.Stacks[0].Updated.Day() != 20 || r.Stacks[0].Outputs["Region"] != "us-east-1" {
		t.Fatalf("auth stack = %+v", r.Stacks[0])
	}

	stale := stackoutputs.Outputs{
		"acme-auth":      {"RoleArn": "arn:aws:iam::1:role/r", "Region": "us-east-1"},
		"acme-analytics": {},
	}
	stale["acme-auth"]["Region"] = "eu-west-1"
	r, err = Check(ctx, api, stacks, "o.json", stale)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`acme-auth: output Region is "us-east-1" deployed but "eu-west-1" in the outputs file`,
		"acme-monitoring: deployed but not in the outputs file",
		"acme-analytics: in the outputs file but not deployed",
	}
	if r.OutputsCurrent || strings.Join(r.Differences, "\n") != strings.Join(want, "\n") {
		t.Fatalf("differences:\n%s\nwant\n%s", strings.Join(r.Differences, "\n"), strings.Join(want, "\n"))
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"acme-analytics   NOT DEPLOYED", "acme-auth        UPDATE_COMPLETE  2026-11-20T10:00:00Z", "Region = us-east-1", "is NOT current"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, text.String())
		}
	}
	js, _ := json.Marshal(r)
	if !strings.Contains(string(js), `"outputs_current":false`) {
		t.Errorf("json = %s", js)
	}

	r, _ = Check(ctx, api, stacks, "o.json", nil)
	if r.OutputsCurrent || !strings.Contains(r.Differences[0], "no outputs file") {
		t.Errorf("no file: %+v", r)
	}
}

func TestCheckReportsAPIErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>`)
	}))
	defer srv.Close()
	api := cloudformation.New(cloudformation.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "s", ""), RetryMaxAttempts: 1})
	_, err := Check(context.Background(), api, []string{"acme-auth"}, "o.json", nil)
	if err == nil || !strings.Contains(err.Error(), "describe stack acme-auth") || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("error = %v", err)
	}
}
