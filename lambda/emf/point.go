// Package emf reads CloudWatch embedded metric format (EMF) log events, as the
// OpenTelemetry collector's awsemf exporter writes them, into the Claude Code metric data
// points of the analytics schema.
package emf

import (
	"fmt"
	"strconv"
	"time"

	"ccwb.dev/contract/schema"
	"ccwb.dev/lambda/jsonscan"
)

// Point is one metric data point read from an EMF event. Its byte slices point into the
// event's text and are valid only during the callback that receives the Point.
type Point struct {
	// Millis is the data point's time in Unix milliseconds (the EMF _aws.Timestamp).
	Millis int64
	// Metric is the index of the metric in schema.Metrics.
	Metric int
	Value  float64
	// Attrs holds the raw JSON string content (escapes intact) of schema.Attributes[i],
	// or nil when the event does not carry it.
	Attrs [schema.NumAttributes][]byte
}

// Row converts the point to the schema row (allocating its strings).
func (p *Point) Row() schema.Row {
	r := schema.Row{
		Time:   time.UnixMilli(p.Millis).UTC(),
		Metric: schema.Metrics[p.Metric].Name,
		Value:  p.Value,
		Unit:   schema.Metrics[p.Metric].Unit,
	}
	for i, a := range p.Attrs {
		if a != nil {
			r.Attrs[i] = string(jsonscan.Unescape(nil, a))
		}
	}
	return r
}

// maxValues bounds the values one event may carry (EMF allows 100 per metric).
const maxValues = 1024

type value struct {
	metric int
	v      float64
}

// Parser reads EMF events; it reuses its buffers, so use one per goroutine.
type Parser struct {
	s      jsonscan.Scanner
	point  Point
	values []value
}

// Parse reads one EMF event and calls emit once per Claude Code metric data point in it,
// in the order the event lists them. fallbackMillis (the log event's timestamp) is the time
// when the event has no _aws.Timestamp. An event without Claude Code metrics emits nothing.
func (p *Parser) Parse(event []byte, fallbackMillis int64, emit func(*Point) error) error {
	s := &p.s
	s.Reset(event)
	pt := &p.point
	pt.Attrs = [schema.NumAttributes][]byte{}
	pt.Millis = fallbackMillis
	p.values = p.values[:0]
	err := s.Object(func(key []byte, escaped bool) error {
		k := lookup(key, escaped)
		switch k.kind {
		case keyAttr:
			return p.attr(k.index)
		case keyMetric:
			return p.metric(k.index)
		case keyAWS:
			return p.awsMetadata()
		default:
			return s.Skip()
		}
	})
	if err != nil {
		return err
	}
	if err := s.End(); err != nil {
		return err
	}
	for _, v := range p.values {
		pt.Metric, pt.Value = v.metric, v.v
		if err := emit(pt); err != nil {
			return err
		}
	}
	return nil
}

// attr reads a dimension or attribute value: strings as they are, numbers and booleans as
// their text, null and structured values as absent.
func (p *Parser) attr(i int) error {
	s := &p.s
	switch c := s.Peek(); {
	case c == '"':
		raw, _, err := s.Str()
		p.point.Attrs[i] = raw
		return err
	case c == '-' || c >= '0' && c <= '9':
		raw, err := s.Number()
		p.point.Attrs[i] = raw
		return err
	case c == 't':
		p.point.Attrs[i] = []byte("true")
		return s.Literal("true")
	case c == 'f':
		p.point.Attrs[i] = []byte("false")
		return s.Literal("false")
	default:
		p.point.Attrs[i] = nil
		return s.Skip()
	}
}

// metric reads a metric's value: a number, an array of numbers (EMF allows up to 100
// values), or a statistic set, of which the Sum is the data point's value.
func (p *Parser) metric(i int) error {
	s := &p.s
	switch s.Peek() {
	case '[':
		return s.Array(func() error { return p.number(i) })
	case '{':
		found := false
		err := s.Object(func(key []byte, _ bool) error {
			if string(key) != "Sum" {
				return s.Skip()
			}
			found = true
			return p.number(i)
		})
		if err == nil && !found {
			err = s.Errorf("statistic set of %s has no Sum", schema.Metrics[i].Name)
		}
		return err
	default:
		return p.number(i)
	}
}

func (p *Parser) number(i int) error {
	raw, err := p.s.Number()
	if err != nil {
		return err
	}
	if len(p.values) >= maxValues {
		return p.s.Errorf("more than %d metric values in one event", maxValues)
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return p.s.Errorf("metric %s: %v", schema.Metrics[i].Name, err)
	}
	p.values = append(p.values, value{i, v})
	return nil
}

// awsMetadata reads the _aws object for its Timestamp (Unix milliseconds).
func (p *Parser) awsMetadata() error {
	s := &p.s
	return s.Object(func(key []byte, _ bool) error {
		if string(key) != "Timestamp" {
			return s.Skip()
		}
		raw, err := s.Number()
		if err != nil {
			return err
		}
		ms, err := parseMillis(raw)
		if err != nil {
			return s.Errorf("%v", err)
		}
		p.point.Millis = ms
		return nil
	})
}

// parseMillis reads an _aws.Timestamp: Unix milliseconds, an integer or (as some writers
// emit) a float, of which the whole milliseconds are kept.
func parseMillis(raw []byte) (int64, error) {
	if ms, n := jsonscan.Digits(raw); n > 0 && n == len(raw) { // the common case: plain digits
		return ms, nil
	}
	ms, err := strconv.ParseInt(string(raw), 10, 64)
	if err == nil {
		return ms, nil
	}
	f, ferr := strconv.ParseFloat(string(raw), 64)
	if ferr != nil || f < 0 || f > 1e15 {
		return 0, fmt.Errorf("_aws.Timestamp %q is not Unix milliseconds", raw)
	}
	return int64(f), nil
}
