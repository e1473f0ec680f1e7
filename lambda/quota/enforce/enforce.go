// Package enforce is the quota enforcer: it writes the blocks in force into the deny
// policies attached to the Bedrock role (a new default version of each customer-managed
// policy when its document changes), and sends the notifications the consumer marked. It
// runs with reserved concurrency 1, on the quota table's stream (blocks, overrides and
// notification markers) and every minute (a block's period ending, a missed stream record).
package enforce

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/url"
	"reflect"
	"sort"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/quota/denypolicy"
	"ccwb.dev/lambda/quota/metrics"
	"ccwb.dev/lambda/quota/store"
)

// IAM is what the enforcer calls of IAM (*iam.Client).
type IAM interface {
	GetPolicy(context.Context, *iam.GetPolicyInput, ...func(*iam.Options)) (*iam.GetPolicyOutput, error)
	GetPolicyVersion(context.Context, *iam.GetPolicyVersionInput, ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error)
	ListPolicyVersions(context.Context, *iam.ListPolicyVersionsInput, ...func(*iam.Options)) (*iam.ListPolicyVersionsOutput, error)
	DeletePolicyVersion(context.Context, *iam.DeletePolicyVersionInput, ...func(*iam.Options)) (*iam.DeletePolicyVersionOutput, error)
	CreatePolicyVersion(context.Context, *iam.CreatePolicyVersionInput, ...func(*iam.Options)) (*iam.CreatePolicyVersionOutput, error)
}

// Publisher sends a notification (*sns.Client).
type Publisher interface {
	Publish(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// Enforcer keeps the deny policies equal to the blocks in force.
type Enforcer struct {
	Store      *store.Store
	IAM        IAM
	PolicyARNs []string // the deny policies, in order
	SNS        Publisher
	TopicARN   string
	Deployment string
	Now        func() time.Time
	Metrics    io.Writer
}

// Result is what one run found and did.
type Result struct {
	Blocked, Enforced int
	Rewritten         []string // the policies that got a new version
}

// Handle takes the function's two events: a DynamoDB stream batch (with Records), or the
// schedule's event.
func (e *Enforcer) Handle(ctx context.Context, raw json.RawMessage) error {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(raw, &ev); err == nil && len(ev.Records) > 0 {
		return e.Stream(ctx, ev)
	}
	_, err := e.Enforce(ctx)
	return err
}

// Stream sends the notifications of new markers, then enforces when blocks or overrides
// changed. An error makes Lambda retry the batch.
func (e *Enforcer) Stream(ctx context.Context, ev events.DynamoDBEvent) error {
	enforce := false
	for _, r := range ev.Records {
		pk, sk := r.Change.Keys[quota.AttrPK].String(), r.Change.Keys[quota.AttrSK].String()
		switch {
		case pk == quota.PKBlock || pk == quota.PKOverride:
			enforce = true
		case quota.IsNoteSK(sk) && r.EventName == "INSERT":
			msg := r.Change.NewImage[quota.AttrMessage].String()
			if _, err := e.SNS.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(e.TopicARN), Subject: aws.String("ccwb quota"), Message: aws.String(msg)}); err != nil {
				return fmt.Errorf("notify %s: %w", e.TopicARN, err)
			}
		}
	}
	if !enforce {
		return nil
	}
	_, err := e.Enforce(ctx)
	return err
}

// Enforce writes the blocks in force, not overridden, the earliest first, into the deny
// policies. Blocks beyond their capacity are counted in BlockedNotEnforced.
func (e *Enforcer) Enforce(ctx context.Context) (Result, error) {
	now := e.Now()
	blocks, err := e.Store.Blocks(ctx, now)
	if err != nil {
		return Result{}, err
	}
	overrides, err := e.Store.Overrides(ctx, now)
	if err != nil {
		return Result{}, err
	}
	var subjects []string
	for _, b := range blocks {
		if _, lifted := overrides[b.Subject]; !lifted {
			subjects = append(subjects, b.Subject)
		}
	}
	docs, enforced := denypolicy.Build(subjects, len(e.PolicyARNs))
	res := Result{Blocked: len(subjects), Enforced: enforced}
	for i, arn := range e.PolicyARNs {
		changed, err := e.write(ctx, arn, docs[i])
		if err != nil {
			return res, err
		}
		if changed {
			res.Rewritten = append(res.Rewritten, arn)
		}
	}
	if e.Metrics != nil {
		_ = metrics.Emit(e.Metrics, e.Deployment, now, map[string]float64{
			metrics.UsersBlocked: float64(res.Blocked), metrics.BlockedNotEnforced: float64(res.Blocked - res.Enforced)})
	}
	if res.Enforced < res.Blocked {
		log.Printf("%d blocked users beyond the deny policies' capacity (quota.max_blocked_users): they are refused at their next federation only", res.Blocked-res.Enforced)
	}
	return res, nil
}

// write makes doc the default version of the policy, unless it is already: IAM keeps five
// versions, so the oldest non-default one goes first when there are five.
func (e *Enforcer) write(ctx context.Context, arn, doc string) (bool, error) {
	p, err := e.IAM.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		return false, fmt.Errorf("read deny policy %s: %w", arn, err)
	}
	v, err := e.IAM.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: p.Policy.DefaultVersionId})
	if err != nil {
		return false, fmt.Errorf("read deny policy %s version %s: %w", arn, aws.ToString(p.Policy.DefaultVersionId), err)
	}
	if same(aws.ToString(v.PolicyVersion.Document), doc) {
		return false, nil
	}
	vs, err := e.IAM.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
	if err != nil {
		return false, fmt.Errorf("list versions of deny policy %s: %w", arn, err)
	}
	if len(vs.Versions) >= 5 {
		sort.Slice(vs.Versions, func(i, j int) bool {
			return aws.ToTime(vs.Versions[i].CreateDate).Before(aws.ToTime(vs.Versions[j].CreateDate))
		})
		for _, old := range vs.Versions {
			if !old.IsDefaultVersion {
				if _, err := e.IAM.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: old.VersionId}); err != nil {
					return false, fmt.Errorf("delete version %s of deny policy %s: %w", aws.ToString(old.VersionId), arn, err)
				}
				break
			}
		}
	}
	if _, err := e.IAM.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(doc), SetAsDefault: true}); err != nil {
		return false, fmt.Errorf("write deny policy %s: %w", arn, err)
	}
	return true, nil
}

// same compares two policy documents as JSON values; IAM returns the stored one
// URL-encoded (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html).
func same(stored, doc string) bool {
	if s, err := url.QueryUnescape(stored); err == nil {
		stored = s
	}
	var a, b any
	if json.Unmarshal([]byte(stored), &a) != nil || json.Unmarshal([]byte(doc), &b) != nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}
