// Package denypolicy writes the IAM deny policies that enforce quota blocks: customer-managed
// policies attached to the Bedrock role that deny InvokeModel and
// InvokeModelWithResponseStream to the sessions of blocked subjects. A session of an assumed
// role has aws:userid = "<role ID>:<session name>", and with direct federation and
// attribution=subject the session name is the verified subject, which can hold no ':', '*'
// or '?': "*:<sub>" matches exactly that subject's sessions (docs/platform/quotas.md).
package denypolicy

import (
	"encoding/json"
	"fmt"
	"unicode"

	"ccwb.dev/contract/provider"
)

// MaxSize is IAM's limit on a managed policy: 6,144 characters, whitespace not counted
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const MaxSize = 6144

// MaxPolicies is how many deny policies a deployment may have: a role takes 10 managed
// policies by default (raisable to 20), and the auth stack attaches none.
const MaxPolicies = 10

// Placeholder is the one entry of a policy that blocks no one: no aws:userid of a role
// session ends in it (IAM refuses a StringLike with an empty list).
const Placeholder = "ccwb:none"

// Actions are the Bedrock actions a block denies (they also authorize Converse and
// ConverseStream).
var Actions = []string{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}

// Document is one deny policy.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is the one statement of a deny policy.
type Statement struct {
	Sid       string                         `json:"Sid"`
	Effect    string                         `json:"Effect"`
	Action    []string                       `json:"Action"`
	Resource  string                         `json:"Resource"`
	Condition map[string]map[string][]string `json:"Condition"`
}

// For is the policy denying the sessions of subjects (none: the placeholder).
func For(subjects []string) Document {
	ids := make([]string, 0, len(subjects))
	for _, s := range subjects {
		ids = append(ids, "*:"+s)
	}
	if len(ids) == 0 {
		ids = []string{Placeholder}
	}
	return Document{Version: "2012-10-17", Statement: []Statement{{
		Sid: "QuotaBlocked", Effect: "Deny", Action: Actions, Resource: "*",
		Condition: map[string]map[string][]string{"StringLike": {"aws:userid": ids}},
	}}}
}

// JSON is the document as IAM receives it.
func (d Document) JSON() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Sprintf("denypolicy: %v", err)) // only strings and lists
	}
	return string(b)
}

// Size counts a policy's characters as IAM does: whitespace is not counted.
func Size(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// Build packs the blocked subjects, in the order given (the earliest block first), into n
// policies, each within MaxSize. It returns the n documents and how many subjects they
// hold: the rest (enforced < len(subjects)) are beyond the policies' capacity.
func Build(subjects []string, n int) (docs []string, enforced int) {
	for range n {
		var in []string
		for enforced+len(in) < len(subjects) {
			next := append(in, subjects[enforced+len(in)])
			if Size(For(next).JSON()) > MaxSize {
				break
			}
			in = next
		}
		if len(in) == 0 && enforced < len(subjects) {
			// A subject too long for any policy: skip it (Capacity is at least 85 for the
			// 64 characters a session name may have).
			enforced++
		}
		enforced += len(in)
		docs = append(docs, For(in).JSON())
	}
	return docs, min(enforced, len(subjects))
}

// Capacity is how many subjects of subjectLen characters one policy holds.
func Capacity(subjectLen int) int {
	empty := Size(For([]string{}).JSON()) - len(`"`+Placeholder+`"`)
	per := subjectLen + len(`"*:",`)
	return (MaxSize - empty + 1) / per
}

// SubjectLength is the longest subject a provider type issues, as far as its documentation
// says: Okta's 20-character user IDs, Google's 21-digit IDs, Cognito's UUIDs, Entra ID's
// 43-character pairwise IDs; otherwise the 64 characters of the longest session name.
func SubjectLength(t provider.Type) int {
	switch t {
	case provider.Okta:
		return 20
	case provider.Google:
		return 21
	case provider.Cognito:
		return 36
	case provider.Azure:
		return 43
	}
	return 64
}

// Policies is how many deny policies hold maxBlocked subjects of a provider type.
func Policies(maxBlocked int, t provider.Type) int {
	c := Capacity(SubjectLength(t))
	return max(1, (maxBlocked+c-1)/c)
}
