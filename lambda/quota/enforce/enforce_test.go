package enforce

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/quota/denypolicy"
	"ccwb.dev/lambda/quota/store"
	"ccwb.dev/lambda/quota/store/storetest"
)

var (
	ctx = context.Background()
	now = time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC)
)

// recorder passes each publish to moto's SNS and keeps the message.
type recorder struct {
	*sns.Client
	sent []string
}

func (r *recorder) Publish(ctx context.Context, in *sns.PublishInput, o ...func(*sns.Options)) (*sns.PublishOutput, error) {
	out, err := r.Client.Publish(ctx, in, o...)
	if err == nil {
		r.sent = append(r.sent, aws.ToString(in.Message))
	}
	return out, err
}

// setup: moto's DynamoDB, IAM and SNS; n deny policies holding the placeholder, as the stack
// creates them, attached to a role.
func setup(t testing.TB, n int) (*Enforcer, *store.Store, *recorder) {
	s, url := storetest.New(t)
	creds, _ := storetest.Options(url)
	ic := iam.New(iam.Options{Region: storetest.Region, BaseEndpoint: aws.String(url), Credentials: creds})
	sc := &recorder{Client: sns.New(sns.Options{Region: storetest.Region, BaseEndpoint: aws.String(url), Credentials: creds})}
	topic, err := sc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("quota")})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := denypolicy.Build(nil, n)
	var arns []string
	for i, d := range docs {
		p, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprint("deny", i)), PolicyDocument: aws.String(d)})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, aws.ToString(p.Policy.Arn))
	}
	var m bytes.Buffer
	e := &Enforcer{Store: s, IAM: ic, PolicyARNs: arns, SNS: sc, TopicARN: aws.ToString(topic.TopicArn), Deployment: "test", Now: func() time.Time { return now }, Metrics: &m}
	return e, s, sc
}

// denied reads the subjects a deny policy's default version lists.
func denied(t testing.TB, e *Enforcer, i int) []string {
	t.Helper()
	ic := e.IAM.(*iam.Client)
	p, err := ic.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(e.PolicyARNs[i])})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ic.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Policy.Arn, VersionId: p.Policy.DefaultVersionId})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := url.QueryUnescape(aws.ToString(v.PolicyVersion.Document))
	var doc denypolicy.Document
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("deny policy %s: %v", raw, err)
	}
	return doc.Statement[0].Condition["StringLike"]["aws:userid"]
}

func block(t *testing.T, s *store.Store, sub string, since time.Time) {
	t.Helper()
	if _, err := s.PutBlock(ctx, store.Block{Subject: sub, Limit: 1, Used: 2, Since: since, Until: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
}

// TestBlockRewritesDenyPolicy: a block becomes the deny policy's default version; running
// again without a change writes nothing; an override lifts it; more changes than IAM's five
// versions rotate the oldest out.
func TestBlockRewritesDenyPolicy(t *testing.T) {
	e, s, _ := setup(t, 1)
	block(t, s, "00ublocked", now.Add(-time.Minute))
	res, err := e.Enforce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := denied(t, e, 0); len(got) != 1 || got[0] != "*:00ublocked" || len(res.Rewritten) != 1 {
		t.Fatalf("deny policy lists %v after the block (result %+v)", got, res)
	}
	if res, _ := e.Enforce(ctx); len(res.Rewritten) != 0 {
		t.Errorf("an unchanged run wrote %v", res.Rewritten)
	}
	if err := s.PutOverride(ctx, store.Override{Subject: "00ublocked", By: "admin", Until: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enforce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := denied(t, e, 0); len(got) != 1 || got[0] != denypolicy.Placeholder {
		t.Errorf("after the unblock the policy lists %v, want only the placeholder", got)
	}
	for i := range 6 {
		block(t, s, fmt.Sprint("00urot", i), now.Add(time.Duration(i)*time.Second))
		if _, err := e.Enforce(ctx); err != nil {
			t.Fatalf("change %d beyond IAM's five versions: %v", i, err)
		}
	}
	if got := denied(t, e, 0); len(got) != 6 || got[5] != "*:00urot5" {
		t.Errorf("after the rotations: %v", got)
	}
}

// TestOverflowIsCounted: blocks beyond the policies' capacity are reported, the earliest
// enforced.
func TestOverflowIsCounted(t *testing.T) {
	e, s, _ := setup(t, 1)
	c := denypolicy.Capacity(20)
	for i := range c + 3 {
		block(t, s, fmt.Sprintf("00u%017d", i), now.Add(time.Duration(i)*time.Millisecond-time.Hour))
	}
	res, err := e.Enforce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Blocked != c+3 || res.Enforced != c || !strings.Contains(e.Metrics.(*bytes.Buffer).String(), `"BlockedNotEnforced":3`) {
		t.Errorf("result %+v, metrics %s", res, e.Metrics)
	}
	if got := denied(t, e, 0); got[0] != "*:00u00000000000000000" {
		t.Errorf("the earliest block is not enforced first: %s", got[0])
	}
}

// TestStreamNotifiesAndEnforces: a new notification marker is published; a block record
// in the batch makes the enforcer run.
func TestStreamNotifiesAndEnforces(t *testing.T) {
	e, s, sc := setup(t, 2)
	block(t, s, "00ubob", now.Add(-time.Minute))
	attr := events.NewStringAttribute
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{
		{EventName: "INSERT", Change: events.DynamoDBStreamRecord{
			Keys:     map[string]events.DynamoDBAttributeValue{quota.AttrPK: attr("U#00ubob"), quota.AttrSK: attr("N#M#2026-12#usd#100")},
			NewImage: map[string]events.DynamoDBAttributeValue{"message": attr("ccwb quota: 00ubob reached 100%")}}},
		{EventName: "REMOVE", Change: events.DynamoDBStreamRecord{
			Keys: map[string]events.DynamoDBAttributeValue{quota.AttrPK: attr("U#00ubob"), quota.AttrSK: attr("N#M#2026-11#usd#80")}}},
		{EventName: "INSERT", Change: events.DynamoDBStreamRecord{
			Keys: map[string]events.DynamoDBAttributeValue{quota.AttrPK: attr(quota.PKBlock), quota.AttrSK: attr("00ubob")}}},
	}}
	raw, _ := json.Marshal(ev)
	if err := e.Handle(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if len(sc.sent) != 1 || sc.sent[0] != "ccwb quota: 00ubob reached 100%" {
		t.Errorf("notifications sent: %q", sc.sent)
	}
	if got := denied(t, e, 0); got[0] != "*:00ubob" {
		t.Errorf("the stream's block was not enforced: %v", got)
	}
	if got := denied(t, e, 1); got[0] != denypolicy.Placeholder {
		t.Errorf("the second policy: %v", got)
	}
	if err := e.Handle(ctx, []byte(`{"source":"aws.events","detail-type":"Scheduled Event"}`)); err != nil {
		t.Errorf("the schedule's event: %v", err)
	}
}
