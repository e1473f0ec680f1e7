package cli

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ccwb.dev/contract/quota"
)

// policyFlags name one policy on the command line.
type policyFlags struct {
	user, group    string
	deflt          bool
	metric, period string
	limit          float64
	action         string
	warnAt         []int
}

func (f *policyFlags) bind(cmd *cobra.Command, full bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.user, "user", "", "the user's subject (the sub claim of their ID token)")
	fl.StringVar(&f.group, "group", "", "a group, as the groups claim carries it")
	fl.BoolVar(&f.deflt, "default", false, "the default policy (everyone without a user or group policy)")
	fl.StringVar(&f.metric, "metric", "", "tokens or usd")
	fl.StringVar(&f.period, "period", "", "daily or monthly")
	if full {
		fl.Float64Var(&f.limit, "limit", 0, "the limit, in tokens or US dollars")
		fl.StringVar(&f.action, "action", "", "warn (notify only) or block (deny Bedrock at 100%)")
		fl.IntSliceVar(&f.warnAt, "warn-at", nil, "percentages that warn (default 80,90)")
	}
}

func (f *policyFlags) policy() (quota.Policy, error) {
	p := quota.Policy{Metric: quota.Metric(f.metric), Period: quota.Period(f.period), Limit: f.limit, Action: quota.Action(f.action), WarnAt: f.warnAt, Source: quota.SourceCLI}
	n := 0
	if f.user != "" {
		p.Scope, p.Name, n = quota.User, f.user, n+1
	}
	if f.group != "" {
		p.Scope, p.Name, n = quota.Group, f.group, n+1
	}
	if f.deflt {
		p.Scope, n = quota.Default, n+1
	}
	if n != 1 {
		return p, fmt.Errorf("name exactly one of --user, --group and --default")
	}
	return p, nil
}

func (a *app) quotaSetCmd() *cobra.Command {
	var f policyFlags
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Add or change a policy (user, group or default; tokens or usd; daily or monthly; warn or block)",
		Example: `  ccwb quota set --group contractors --metric usd --period monthly --limit 200 --action block
  ccwb quota set --user 00u1abcd2EFGH3ijk4l5 --metric tokens --period daily --limit 2000000 --action warn --warn-at 50,90`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := f.policy()
			if err != nil {
				return err
			}
			if problems := p.Check(); len(problems) > 0 {
				return fmt.Errorf("--%s: %s", strings.Replace(problems[0].Field, "warn_at", "warn-at", 1), problems[0].Message)
			}
			q, err := a.quotaStore(cmd)
			if err != nil {
				return err
			}
			if err := q.store.PutPolicy(cmd.Context(), p, admin(), q.now); err != nil {
				return err
			}
			n, err := q.reevaluate(cmd, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "set %s (%s %s %s: %s at 100%%); %d users re-evaluated\n", p.ID(), p.Period, p.Metric, amount(p, p.Limit), p.Action, n)
			return nil
		},
	}
	f.bind(cmd, true)
	return cmd
}

// reevaluate applies a changed policy to the users it may concern now: the user, or every
// user with usage this month.
func (q *quotaEnv) reevaluate(cmd *cobra.Command, p quota.Policy) (int, error) {
	subjects := []string{p.Name}
	if p.Scope != quota.User {
		all, err := q.store.AllUsage(cmd.Context(), []string{quota.PeriodKey(quota.Monthly, q.now, q.loc)}, q.now)
		if err != nil {
			return 0, err
		}
		subjects = subjects[:0]
		for sub := range all {
			subjects = append(subjects, sub)
		}
		sort.Strings(subjects)
	}
	h := q.evaluator()
	for _, sub := range subjects {
		if err := h.Evaluate(cmd.Context(), sub); err != nil {
			return 0, err
		}
	}
	return len(subjects), nil
}

func (a *app) quotaDeleteCmd() *cobra.Command {
	var f policyFlags
	cmd := &cobra.Command{
		Use:   "delete",
		Short: "Remove a policy (a policy of the settings returns at the next deploy)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := f.policy()
			if err != nil {
				return err
			}
			q, err := a.quotaStore(cmd)
			if err != nil {
				return err
			}
			return q.store.DeletePolicy(cmd.Context(), p.ID())
		},
	}
	f.bind(cmd, false)
	return cmd
}

func (a *app) quotaListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the policies (a table, or --json)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ps, err := a.sortedPolicies(cmd)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(ps)
			}
			w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SCOPE\tNAME\tMETRIC\tPERIOD\tLIMIT\tACTION\tWARN AT\tSOURCE")
			for _, p := range ps {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%v\t%s\n", p.Scope, orDash(p.Name), p.Metric, p.Period, amount(p, p.Limit), p.Action, p.Thresholds(), p.Source)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// sortedPolicies reads every policy, ordered by ID.
func (a *app) sortedPolicies(cmd *cobra.Command) ([]quota.Policy, error) {
	q, err := a.quotaStore(cmd)
	if err != nil {
		return nil, err
	}
	ps, err := q.store.Policies(cmd.Context())
	if err != nil {
		return nil, err
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID() < ps[j].ID() })
	return ps, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func amount(p quota.Policy, x float64) string { return quota.Verdict{Metric: p.Metric}.Amount(x) }
