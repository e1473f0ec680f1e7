package seed

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/store/storetest"
)

func TestSeedKeepsAdministratorsPolicies(t *testing.T) {
	ctx := context.Background()
	s, _ := storetest.New(t)
	r := &Resource{Store: s, Now: time.Now}
	group := quota.Policy{Scope: quota.Group, Name: "contractors", Metric: quota.USD, Period: quota.Monthly, Limit: 200, Action: quota.Block}
	def := quota.Policy{Scope: quota.Default, Metric: quota.Tokens, Period: quota.Daily, Limit: 1e6, Action: quota.Warn}
	deploy := func(ps ...quota.Policy) {
		raw, _ := json.Marshal(ps)
		if _, _, err := r.Handle(ctx, cfn.Event{RequestType: cfn.RequestUpdate, ResourceProperties: map[string]any{PoliciesProperty: string(raw), RoleNameProperty: "ccwb-auth-Role"}}); err != nil {
			t.Fatal(err)
		}
	}
	deploy(group, def)
	cli := group
	cli.Limit, cli.Source = 500, quota.SourceCLI
	if err := s.PutPolicy(ctx, cli, "admin", time.Now()); err != nil {
		t.Fatal(err)
	}
	deploy(group) // the default left the settings; the group's limit was raised by the CLI
	ps, err := s.Policies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].ID() != group.ID() || ps[0].Limit != 500 || ps[0].Source != quota.SourceCLI {
		t.Errorf("after the second deploy: %+v, want only the administrator's group policy", ps)
	}
	if name, err := s.RoleName(ctx); err != nil || name != "ccwb-auth-Role" {
		t.Errorf("the role's name for the other Regions: %q %v", name, err)
	}
	if _, _, err := r.Handle(ctx, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: map[string]any{PoliciesProperty: "nope"}}); err == nil {
		t.Error("bad JSON accepted")
	}
}
