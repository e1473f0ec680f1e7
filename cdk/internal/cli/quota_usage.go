package cli

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ccwb.dev/contract/quota"
	"ccwb.dev/lambda/quota/store"
)

// usageRow is one user's line of `ccwb quota usage`.
type usageRow struct {
	Subject       string        `json:"subject"`
	Email         string        `json:"email,omitempty"`
	Groups        []string      `json:"groups,omitempty"`
	Today         quota.Usage   `json:"today"`
	Month         quota.Usage   `json:"month"`
	Verdict       quota.Verdict `json:"verdict"`
	Blocked       bool          `json:"blocked"`
	BlockedUntil  string        `json:"blocked_until,omitempty"`
	OverrideUntil string        `json:"override_until,omitempty"`
}

func (a *app) quotaUsageCmd() *cobra.Command {
	var (
		sub    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "usage",
		Short: "Each user's usage today and this month against their limits (a table, or --json)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := a.quotaStore(cmd)
			if err != nil {
				return err
			}
			rows, err := q.usage(cmd, sub)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(rows)
			}
			return a.usageTable(q, rows)
		},
	}
	cmd.Flags().StringVar(&sub, "user", "", "only this user's subject")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (q *quotaEnv) usage(cmd *cobra.Command, only string) ([]usageRow, error) {
	ctx := cmd.Context()
	day, month := quota.PeriodKey(quota.Daily, q.now, q.loc), quota.PeriodKey(quota.Monthly, q.now, q.loc)
	all, err := q.store.AllUsage(ctx, []string{day, month}, q.now)
	if err != nil {
		return nil, err
	}
	if only != "" {
		u, ok := all[only]
		if !ok {
			u = &store.UserUsage{Subject: only, Periods: map[string]quota.Usage{}}
		}
		all = map[string]*store.UserUsage{only: u}
	}
	policies, err := q.store.Policies(ctx)
	if err != nil {
		return nil, err
	}
	blocks, err := q.store.Blocks(ctx, q.now)
	if err != nil {
		return nil, err
	}
	overrides, err := q.store.Overrides(ctx, q.now)
	if err != nil {
		return nil, err
	}
	blocked := map[string]time.Time{}
	for _, b := range blocks {
		blocked[b.Subject] = b.Until
	}
	var rows []usageRow
	for _, u := range all {
		s := quota.Subject{Sub: u.Subject, Groups: u.Groups, KnownGroups: u.Email != "" || len(u.Groups) > 0}
		sts := quota.Assess(quota.Effective(policies, s, q.d.Quota.UnknownGroups), func(k string) quota.Usage { return u.Periods[k] }, q.now, q.loc)
		r := usageRow{Subject: u.Subject, Email: u.Email, Groups: u.Groups, Today: u.Periods[day], Month: u.Periods[month],
			Verdict: quota.VerdictOf(sts, u.Periods[month], overrides[u.Subject].Until, q.now)}
		if until, ok := blocked[u.Subject]; ok {
			r.Blocked, r.BlockedUntil = true, until.Format(time.RFC3339)
		}
		if o, ok := overrides[u.Subject]; ok {
			r.OverrideUntil = o.Until.Format(time.RFC3339)
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Subject < rows[j].Subject })
	return rows, nil
}

func (a *app) usageTable(q *quotaEnv, rows []usageRow) error {
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USER\tEMAIL\tTODAY TOKENS\tTODAY USD\tMONTH TOKENS\tMONTH USD\tLIMIT\tSTATE")
	for _, r := range rows {
		limit := "-"
		if r.Verdict.Metric != "" {
			limit = fmt.Sprintf("%s %s of %s (%.0f%%)", r.Verdict.Period, r.Verdict.Amount(r.Verdict.Usage), r.Verdict.Amount(r.Verdict.Limit), r.Verdict.Percent)
		}
		state := string(r.Verdict.Decision)
		if r.Blocked {
			state = "blocked until " + r.BlockedUntil
		}
		if r.OverrideUntil != "" {
			state += ", unblocked until " + r.OverrideUntil
		}
		if len(r.Month.UnpricedModels) > 0 {
			state += "; unpriced: " + strings.Join(r.Month.UnpricedModels, ", ")
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%.2f\t%d\t%.2f\t%s\t%s\n", r.Subject, orDash(r.Email), r.Today.Total(), r.Today.Value(quota.USD), r.Month.Total(), r.Month.Value(quota.USD), limit, state)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "prices as of %s (bedrock.prices); periods in %s\n", orDash(q.d.Bedrock.PricesAsOf), q.d.Quota.Timezone)
	return nil
}

func (a *app) quotaUnblockCmd() *cobra.Command {
	var (
		sub, until, reason string
	)
	cmd := &cobra.Command{
		Use:   "unblock",
		Short: "Lift a user's block until a time (default: the end of the blocked period)",
		Example: `  ccwb quota unblock --user 00u1abcd2EFGH3ijk4l5
  ccwb quota unblock --user 00u1abcd2EFGH3ijk4l5 --until 2026-12-24T18:00:00Z --reason "release week"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sub == "" {
				return fmt.Errorf("--user is required: the subject to unblock (see ccwb quota usage)")
			}
			q, err := a.quotaStore(cmd)
			if err != nil {
				return err
			}
			end, err := q.unblockUntil(cmd, sub, until)
			if err != nil {
				return err
			}
			o := store.Override{Subject: sub, By: admin(), Reason: reason, Until: end}
			if err := q.store.PutOverride(cmd.Context(), o); err != nil {
				return err
			}
			if err := q.store.DeleteBlock(cmd.Context(), sub); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%s is unblocked until %s; Bedrock access returns within about 2 minutes (the enforcer's next run and IAM's propagation)\n", sub, end.Format(time.RFC3339))
			return nil
		},
	}
	cmd.Flags().StringVar(&sub, "user", "", "the user's subject")
	cmd.Flags().StringVar(&until, "until", "", "RFC 3339 time the override ends (default: the end of the blocked period, else of the month)")
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the record")
	return cmd
}

func (q *quotaEnv) unblockUntil(cmd *cobra.Command, sub, until string) (time.Time, error) {
	if until != "" {
		t, err := time.Parse(time.RFC3339, until)
		if err != nil || !t.After(q.now) {
			return time.Time{}, fmt.Errorf("--until %q is not a future RFC 3339 time (e.g. 2026-12-24T18:00:00Z)", until)
		}
		return t, nil
	}
	blocks, err := q.store.Blocks(cmd.Context(), q.now)
	if err != nil {
		return time.Time{}, err
	}
	for _, b := range blocks {
		if b.Subject == sub {
			return b.Until, nil
		}
	}
	return quota.End(quota.Monthly, q.now, q.loc), nil
}
