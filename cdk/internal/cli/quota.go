package cli

import (
	"fmt"
	"os/user"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/spf13/cobra"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/store"
)

// quotaEnv is what the quota commands share: the deployment's quota store and settings.
type quotaEnv struct {
	d     *settings.Deployment
	store *store.Store
	loc   *time.Location
	now   time.Time
}

// quotaStore opens the deployment's quota tables with the administrator's AWS credentials
// (the standard chain; AWS_ENDPOINT_URL_DYNAMODB points it elsewhere).
func (a *app) quotaStore(cmd *cobra.Command) (*quotaEnv, error) {
	d, err := a.load()
	if err != nil {
		return nil, err
	}
	if !d.Quota.Enabled {
		return nil, fmt.Errorf("%s has no quotas: set quota.enabled to true and run `ccwb deploy` first", a.settingsPath)
	}
	cfg, err := awsConfig(cmd.Context(), d.Region)
	if err != nil {
		return nil, err
	}
	loc, err := quota.LoadLocation(d.Quota.Timezone)
	if err != nil {
		return nil, err
	}
	s := &store.Store{DB: dynamodb.NewFromConfig(cfg), Table: quota.TableName(d.Name), Ledger: quota.LedgerTableName(d.Name)}
	return &quotaEnv{d: d, store: s, loc: loc, now: time.Now().UTC()}, nil
}

// evaluator re-evaluates users after a policy change, as the consumer does after usage.
func (q *quotaEnv) evaluator() *ingest.Handler {
	return &ingest.Handler{Store: q.store, Counter: store.Counter{Prices: q.d.Bedrock.Prices, Location: q.loc},
		Policies: &store.PolicyCache{Store: q.store}, UnknownGroups: q.d.Quota.UnknownGroups, Deployment: q.d.Name,
		Now: func() time.Time { return q.now }}
}

// admin names who made a change, for the records.
func admin() string {
	if u, err := user.Current(); err == nil {
		return "ccwb:" + u.Username
	}
	return "ccwb"
}

func (a *app) quotaCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "quota",
		Short: "Quota policies, usage and blocks of a deployment with quotas (docs/platform/quotas.md)",
	}
	cmd.AddCommand(a.quotaSetCmd(), a.quotaListCmd(), a.quotaDeleteCmd(), a.quotaUsageCmd(), a.quotaUnblockCmd(), a.quotaExportCmd(), a.quotaImportCmd())
	return cmd
}
