// Package cost models what a ccwb deployment costs on AWS for a population of active
// users, starting from the collector configuration the monitoring construct generates.
//
// This file applies the awsemf exporter's documented rules to data points, to count the
// custom metrics CloudWatch extracts and to size the log events it writes.
package cost

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Declaration is one awsemf metric_declaration as the collector config carries it.
type Declaration struct {
	Dimensions    [][]string     `yaml:"dimensions"`
	Selectors     []string       `yaml:"metric_name_selectors"`
	LabelMatchers []LabelMatcher `yaml:"label_matchers"`

	selectors []*regexp.Regexp
}

// LabelMatcher is one label_matchers entry of a declaration.
type LabelMatcher struct {
	LabelNames []string `yaml:"label_names"`
	Separator  string   `yaml:"separator"`
	Regex      string   `yaml:"regex"`

	re *regexp.Regexp
}

// Exporter is what the model reads of the awsemf exporter's configuration.
type Exporter struct {
	Namespace       string        `yaml:"namespace"`
	RollupOption    string        `yaml:"dimension_rollup_option"`
	Declarations    []Declaration `yaml:"metric_declarations"`
	ResourceToLabel struct {
		Enabled bool `yaml:"enabled"`
	} `yaml:"resource_to_telemetry_conversion"`
}

// ReadExporter reads the awsemf exporter of a collector configuration (YAML) and compiles
// its selectors and matchers as awsemf does (Go regexp). Only NoDimensionRollup is
// modelled: the collector sets it, and the other options add rollup sets.
func ReadExporter(config string) (*Exporter, error) {
	var doc struct {
		Exporters struct {
			EMF Exporter `yaml:"awsemf"`
		} `yaml:"exporters"`
	}
	if err := yaml.Unmarshal([]byte(config), &doc); err != nil {
		return nil, fmt.Errorf("read collector config: %w", err)
	}
	e := doc.Exporters.EMF
	if len(e.Declarations) == 0 {
		return nil, fmt.Errorf("collector config has no awsemf metric_declarations")
	}
	if e.RollupOption != "" && e.RollupOption != "NoDimensionRollup" {
		return nil, fmt.Errorf("dimension_rollup_option %q: the model knows only NoDimensionRollup", e.RollupOption)
	}
	for i := range e.Declarations {
		d := &e.Declarations[i]
		// awsemf sorts each set and drops repeated dimensions and repeated sets
		var sets [][]string
		for _, set := range d.Dimensions {
			set = append([]string{}, slices.Compact(slices.Sorted(slices.Values(set)))...) // [] stays [], not null
			if !slices.ContainsFunc(sets, func(s []string) bool { return slices.Equal(s, set) }) {
				sets = append(sets, set)
			}
		}
		d.Dimensions = sets
		for _, s := range d.Selectors {
			re, err := regexp.Compile(s)
			if err != nil {
				return nil, fmt.Errorf("declaration %d selector %q: %w", i, s, err)
			}
			d.selectors = append(d.selectors, re)
		}
		for j := range d.LabelMatchers {
			m := &d.LabelMatchers[j]
			re, err := regexp.Compile(m.Regex)
			if err != nil {
				return nil, fmt.Errorf("declaration %d label matcher %q: %w", i, m.Regex, err)
			}
			m.re = re
			if m.Separator == "" {
				m.Separator = ";" // awsemf's default
			}
		}
	}
	return &e, nil
}

// Point is one data point as awsemf sees it: its metric name and labels (its attributes,
// and its resource's when resource_to_telemetry_conversion is on), and who sent it.
type Point struct {
	Metric string
	Labels map[string]string
	User   int
}

// matchesLabels: a declaration without label matchers takes every point; with matchers,
// a point matching any of them (each concatenates its labels' values with the separator
// and matches the regex against that).
func (d *Declaration) matchesLabels(labels map[string]string) bool {
	if len(d.LabelMatchers) == 0 {
		return true
	}
	for _, m := range d.LabelMatchers {
		vals := make([]string, len(m.LabelNames))
		for i, n := range m.LabelNames {
			vals[i] = labels[n]
		}
		if m.re.MatchString(strings.Join(vals, m.Separator)) {
			return true
		}
	}
	return false
}

func (d *Declaration) matchesName(name string) bool {
	return slices.ContainsFunc(d.selectors, func(re *regexp.Regexp) bool { return re.MatchString(name) })
}

// DimensionSets are the dimension sets awsemf extracts for p: from every declaration
// whose name selectors and label matchers take the point, the sets all of whose
// dimensions are labels of the point ("Dimension sets that include dimensions that are
// not labels are ignored"), without repeats.
func (e *Exporter) DimensionSets(p Point) [][]string {
	var sets [][]string
	for i := range e.Declarations {
		d := &e.Declarations[i]
		if !d.matchesName(p.Metric) || !d.matchesLabels(p.Labels) {
			continue
		}
		for _, set := range d.Dimensions {
			missing := slices.ContainsFunc(set, func(dim string) bool { _, ok := p.Labels[dim]; return !ok })
			if !missing && !slices.ContainsFunc(sets, func(s []string) bool { return slices.Equal(s, set) }) {
				sets = append(sets, set)
			}
		}
	}
	return sets
}

// Census counts the distinct CloudWatch metrics the points make: a metric is the
// namespace, the metric name and the name/value pairs of one extracted dimension set.
// PerUser are the metrics one user alone feeds (billed only in the hours that user
// sends); Shared are fed by several users.
type Census struct {
	Shared, PerUser int
	owner           map[string]int
}

// Add counts the metrics of p.
func (c *Census) Add(e *Exporter, p Point) {
	if c.owner == nil {
		c.owner = map[string]int{}
	}
	for _, set := range e.DimensionSets(p) {
		var b strings.Builder
		b.WriteString(p.Metric)
		for _, dim := range set {
			b.WriteString("\x00" + dim + "=" + p.Labels[dim])
		}
		key := b.String()
		switch owner, ok := c.owner[key]; {
		case !ok:
			c.owner[key] = p.User
			c.PerUser++
		case owner >= 0 && owner != p.User:
			c.owner[key] = -1
			c.PerUser--
			c.Shared++
		}
	}
}

// Total is the number of distinct metrics.
func (c Census) Total() int { return c.Shared + c.PerUser }

// Event is the log event message awsemf writes for p alone: its labels and value as
// top-level keys and, when it extracts metrics, Version and the _aws metadata with the
// dimension sets. json.Marshal writes it, as the exporter does.
func (e *Exporter) Event(p Point, value float64, unit string, timestampMs int64) []byte {
	doc := map[string]any{p.Metric: value}
	for k, v := range p.Labels {
		doc[k] = v
	}
	if sets := e.DimensionSets(p); len(sets) > 0 {
		doc["Version"] = "1"
		doc["_aws"] = map[string]any{
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace": e.Namespace, "Dimensions": sets,
				"Metrics": []any{map[string]any{"Name": p.Metric, "Unit": unit}},
			}},
			"Timestamp": timestampMs,
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // strings and numbers only
	}
	return b
}
