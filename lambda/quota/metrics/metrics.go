// Package metrics writes the quota service's CloudWatch metrics as Embedded Metric Format
// lines on stdout, which Lambda sends to the function's log group and CloudWatch turns into
// metrics (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
// One dimension, the deployment, so that two deployments in an account stay apart.
package metrics

import (
	"encoding/json"
	"io"
	"sort"
	"time"
)

// Namespace of the quota metrics.
const Namespace = "ccwb/Quota"

// Dimension is the one dimension of every quota metric.
const Dimension = "Deployment"

// The metrics the functions emit (the dashboard and alarms read them).
const (
	RecordsCounted     = "RecordsCounted"     // invocations added to usage
	RecordsUnmetered   = "RecordsUnmetered"   // invocation records without token counts
	RecordsForeign     = "RecordsForeign"     // records of other callers than the Bedrock role
	UsersBlocked       = "UsersBlocked"       // blocks in force (the enforcer)
	BlockedNotEnforced = "BlockedNotEnforced" // blocks beyond the deny policies' capacity
	SweepLagSeconds    = "SweepLagSeconds"    // how far the sweep's checkpoint is behind
	SweepRecovered     = "SweepRecovered"     // invocations only the sweep counted
)

// All are the metrics of a deployment's Region: the collector's five and the enforcer's two
// (the cost model counts them).
var All = []string{RecordsCounted, RecordsUnmetered, RecordsForeign, SweepLagSeconds, SweepRecovered, UsersBlocked, BlockedNotEnforced}

// Emit writes one EMF line with values (a count each, unit "Count" unless the name ends in
// Seconds).
func Emit(w io.Writer, deployment string, at time.Time, values map[string]float64) error {
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names)
	defs := make([]map[string]string, 0, len(names))
	line := map[string]any{Dimension: deployment}
	for _, n := range names {
		unit := "Count"
		if len(n) > 7 && n[len(n)-7:] == "Seconds" {
			unit = "Seconds"
		}
		defs = append(defs, map[string]string{"Name": n, "Unit": unit})
		line[n] = values[n]
	}
	line["_aws"] = map[string]any{
		"Timestamp": at.UnixMilli(),
		"CloudWatchMetrics": []map[string]any{{
			"Namespace": Namespace, "Dimensions": [][]string{{Dimension}}, "Metrics": defs,
		}},
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
