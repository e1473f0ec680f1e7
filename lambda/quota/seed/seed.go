// Package seed is the custom resource that writes the settings' quota policies
// (quota.policies) into the quota table at each deploy: as source "settings", dropping the
// settings' policies the settings no longer hold, and never touching a policy an
// administrator set with `ccwb quota set` (source "cli").
package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/env"
	"ccwb.dev/lambda/quota/store"
)

// PhysicalID is the resource's one physical ID.
const PhysicalID = "ccwb-quota-policies"

// The resource's properties (env.SeedPolicies, env.SeedRoleName).
const (
	PoliciesProperty = env.SeedPolicies
	RoleNameProperty = env.SeedRoleName
)

// Resource handles the custom resource's events.
type Resource struct {
	Store *store.Store
	Now   func() time.Time
}

// Handle is the cfn.CustomResourceFunction. Delete leaves the table alone (the table goes
// with the stack, or stays with its retention).
func (r *Resource) Handle(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
	if ev.RequestType == cfn.RequestDelete {
		return PhysicalID, nil, nil
	}
	raw, _ := ev.ResourceProperties[PoliciesProperty].(string)
	var want []quota.Policy
	if err := json.Unmarshal([]byte(raw), &want); err != nil {
		return PhysicalID, nil, fmt.Errorf("the %s property is not a JSON list of policies: %w", PoliciesProperty, err)
	}
	if role, _ := ev.ResourceProperties[RoleNameProperty].(string); role != "" {
		if err := r.Store.PutRoleName(ctx, role); err != nil {
			return PhysicalID, nil, err
		}
	}
	return PhysicalID, nil, r.Seed(ctx, want)
}

// Seed makes the table's settings policies equal to want, leaving the CLI's alone.
func (r *Resource) Seed(ctx context.Context, want []quota.Policy) error {
	have, err := r.Store.Policies(ctx)
	if err != nil {
		return err
	}
	source := map[string]string{}
	for _, p := range have {
		source[p.ID()] = p.Source
	}
	wanted := map[string]bool{}
	for _, p := range want {
		p.Source = quota.SourceSettings
		wanted[p.ID()] = true
		if source[p.ID()] == quota.SourceCLI {
			continue // an administrator's change wins until they delete it
		}
		if err := r.Store.PutPolicy(ctx, p, "deploy", r.Now()); err != nil {
			return err
		}
	}
	for _, p := range have {
		if p.Source == quota.SourceSettings && !wanted[p.ID()] {
			if err := r.Store.DeletePolicy(ctx, p.ID()); err != nil {
				return err
			}
		}
	}
	return nil
}
