package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/strictjson"
)

// csvHeader is the column order of the CSV policy files.
var csvHeader = []string{"scope", "name", "metric", "period", "limit", "action", "warn_at"}

func (a *app) quotaExportCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write every policy to stdout as JSON or CSV (the format import reads)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ps, err := a.sortedPolicies(cmd)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return a.writeJSON(ps)
			case "csv":
				return writeCSV(a.stdout, ps)
			}
			return fmt.Errorf("--format %q: use json or csv", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "json or csv")
	return cmd
}

func writeCSV(w io.Writer, ps []quota.Policy) error {
	c := csv.NewWriter(w)
	_ = c.Write(csvHeader)
	for _, p := range ps {
		warn := make([]string, len(p.WarnAt))
		for i, x := range p.WarnAt {
			warn[i] = strconv.Itoa(x)
		}
		_ = c.Write([]string{string(p.Scope), p.Name, string(p.Metric), string(p.Period), strconv.FormatFloat(p.Limit, 'f', -1, 64), string(p.Action), strings.Join(warn, ";")})
	}
	c.Flush()
	return c.Error()
}

func (a *app) quotaImportCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Add or change the policies of a JSON or CSV file (as export writes it); - reads stdin",
		Long: `import checks every policy of the file first and changes nothing if one is wrong; then it
writes them all (source cli) and re-evaluates the users they concern. Policies not in the
file stay.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, err := a.readPolicies(args[0], format)
			if err != nil {
				return err
			}
			q, err := a.quotaStore(cmd)
			if err != nil {
				return err
			}
			for _, p := range ps {
				if err := q.store.PutPolicy(cmd.Context(), p, admin(), q.now); err != nil {
					return err
				}
			}
			n := 0
			for _, p := range ps {
				m, err := q.reevaluate(cmd, p)
				if err != nil {
					return err
				}
				n += m
			}
			fmt.Fprintf(a.stderr, "imported %d policies; %d user evaluations\n", len(ps), n)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "json or csv (default: from the file name, json for stdin)")
	return cmd
}

// readPolicies reads and checks a policy file: every problem with its row or index.
func (a *app) readPolicies(path, format string) ([]quota.Policy, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(a.stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if format == "" {
		format = "json"
		if strings.HasSuffix(strings.ToLower(path), ".csv") {
			format = "csv"
		}
	}
	var ps []quota.Policy
	switch format {
	case "json":
		if err := strictjson.Unmarshal(data, &ps); err != nil {
			return nil, fmt.Errorf("%s: %w (expected a JSON list of policies, as ccwb quota export writes it)", path, err)
		}
	case "csv":
		if ps, err = parseCSV(data); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	default:
		return nil, fmt.Errorf("--format %q: use json or csv", format)
	}
	var problems []string
	for i, p := range ps {
		ps[i].Source = quota.SourceCLI
		for _, pr := range p.Check() {
			problems = append(problems, fmt.Sprintf("policy %d (%s): %s: %s", i+1, p.ID(), pr.Field, pr.Message))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s: nothing imported:\n  %s", path, strings.Join(problems, "\n  "))
	}
	return ps, nil
}

func parseCSV(data []byte) ([]quota.Policy, error) {
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parse CSV: %w", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		return nil, fmt.Errorf("the first line must be the header %s", strings.Join(csvHeader, ","))
	}
	var ps []quota.Policy
	for i, r := range rows[1:] {
		limit, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: limit %q is not a number", i+2, r[4])
		}
		p := quota.Policy{Scope: quota.Scope(r[0]), Name: r[1], Metric: quota.Metric(r[2]), Period: quota.Period(r[3]), Limit: limit, Action: quota.Action(r[5])}
		for _, w := range strings.FieldsFunc(r[6], func(c rune) bool { return c == ';' }) {
			n, err := strconv.Atoi(strings.TrimSpace(w))
			if err != nil {
				return nil, fmt.Errorf("line %d: warn_at %q is not a list of percentages like 80;90", i+2, r[6])
			}
			p.WarnAt = append(p.WarnAt, n)
		}
		ps = append(ps, p)
	}
	return ps, nil
}
