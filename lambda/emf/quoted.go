package emf

import (
	"strconv"
	"unsafe"

	"ccwb.dev/lambda/jsonscan"
	"ccwb.dev/lambda/schema"
)

// ParseQuoted reads one EMF event in place from inside the JSON string that holds it (the
// log event's message, q reset just after its opening quote), without unescaping it first,
// and calls emit once per Claude Code metric data point, as Parse does with the unescaped
// event. It reports false, having emitted nothing, when the event is not in the plain form
// jsonscan.Quoted reads or is invalid: the caller then unescapes the message and uses
// Parse, which gives the same points or names the error.
func (p *Parser) ParseQuoted(q *jsonscan.Quoted, fallbackMillis int64, emit func(*Point)) bool {
	pt := &p.point
	pt.Attrs = [schema.NumAttributes][]byte{}
	pt.Millis = fallbackMillis
	p.values = p.values[:0]
	if !q.Consume('{') {
		return false
	}
	if !q.Consume('}') {
		for prev := keySlots; ; {
			var k keyInfo
			var ok bool
			k, prev, ok = p.keyQuoted(q, prev)
			if !ok || !q.Consume(':') {
				return false
			}
			switch k.kind {
			case keyAttr:
				ok = p.attrQuoted(q, k.index)
			case keyMetric:
				ok = p.metricQuoted(q, k.index)
			case keyAWS:
				ok = p.awsQuoted(q)
			default:
				ok = p.skipQuoted(q, prev)
			}
			if !ok {
				return false
			}
			if !q.Consume(',') {
				if !q.Consume('}') {
					return false
				}
				break
			}
		}
	}
	if !q.End() {
		return false
	}
	for _, v := range p.values {
		pt.Metric, pt.Value = v.metric, v.v
		emit(pt)
	}
	return true
}

// predicted is a key as it last followed another key, quotes included.
type predicted struct {
	raw  []byte
	info keyInfo
	slot int
}

// keyQuoted reads the key that follows the key whose keyTable slot is prev (keySlots for
// the first key), returning it and its slot. Writers put the same keys in the same order
// in event after event, so the key that last followed prev, compared as bytes, is usually
// the answer, without scanning the key or looking it up.
func (p *Parser) keyQuoted(q *jsonscan.Quoted, prev int) (keyInfo, int, bool) {
	pr := &p.predicted[prev]
	if len(pr.raw) > 0 && q.Match(pr.raw) {
		return pr.info, pr.slot, true
	}
	q.Peek()
	start := q.Pos()
	key, ok := q.Str()
	if !ok {
		return keyInfo{}, 0, false
	}
	info, slot := keys.find(key)
	pr.raw = append(pr.raw[:0], q.Since(start)...)
	pr.info, pr.slot = info, slot
	return info, slot, true
}

// skipQuoted skips the value of a key Parse does not read (OTelLib, Version), whose
// keyTable slot is slot. Such values are the same in event after event, so the value that
// last followed the key, compared as bytes, usually spares reading it.
func (p *Parser) skipQuoted(q *jsonscan.Quoted, slot int) bool {
	last := &p.skipped[slot]
	if len(*last) > 0 && q.Match(*last) {
		return true
	}
	q.Peek()
	start := q.Pos()
	if !q.Skip() {
		return false
	}
	// Not numbers: the bytes of 1 begin 12, but a string, object or literal ends itself.
	if v := q.Since(start); len(v) <= maxSkipped && (v[0] < '0' || v[0] > '9') && v[0] != '-' {
		*last = append((*last)[:0], v...)
	}
	return true
}

// maxSkipped is the longest skipped value remembered by skipQuoted (jsonscan.Quoted
// remembers longer objects and arrays itself).
const maxSkipped = 64

func (p *Parser) attrQuoted(q *jsonscan.Quoted, i int) bool {
	var ok bool
	switch c := q.Peek(); {
	case c == '"':
		p.point.Attrs[i], ok = q.Str()
	case c == '-' || c >= '0' && c <= '9':
		p.point.Attrs[i], ok = q.Number()
	case c == 't':
		p.point.Attrs[i], ok = []byte("true"), q.Literal("true")
	case c == 'f':
		p.point.Attrs[i], ok = []byte("false"), q.Literal("false")
	default:
		p.point.Attrs[i], ok = nil, q.Skip()
	}
	return ok
}

func (p *Parser) metricQuoted(q *jsonscan.Quoted, i int) bool {
	switch q.Peek() {
	case '[':
		q.Consume('[')
		if q.Consume(']') {
			return true
		}
		for {
			if !p.numberQuoted(q, i) {
				return false
			}
			if !q.Consume(',') {
				return q.Consume(']')
			}
		}
	case '{':
		q.Consume('{')
		found := false
		if q.Consume('}') {
			return false // no Sum: Parse names the error
		}
		for {
			key, ok := q.Str()
			if !ok || !q.Consume(':') {
				return false
			}
			if string(key) == "Sum" {
				found, ok = true, p.numberQuoted(q, i)
			} else {
				ok = q.Skip()
			}
			if !ok {
				return false
			}
			if !q.Consume(',') {
				return q.Consume('}') && found
			}
		}
	default:
		return p.numberQuoted(q, i)
	}
}

func (p *Parser) numberQuoted(q *jsonscan.Quoted, i int) bool {
	raw, ok := q.Number()
	if !ok || len(p.values) >= maxValues {
		return false
	}
	v, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(raw), len(raw)), 64)
	if err != nil {
		return false
	}
	p.values = append(p.values, value{i, v})
	return true
}

// The keys of _aws as they appear inside a JSON string, with their colon.
var (
	cloudWatchMetricsKey = []byte(`\"CloudWatchMetrics\":`)
	timestampKey         = []byte(`\"Timestamp\":`)
)

func (p *Parser) awsQuoted(q *jsonscan.Quoted) bool {
	if !q.Consume('{') {
		return false
	}
	if q.Consume('}') {
		return true
	}
	for {
		var ok bool
		// The keys awsemf writes, matched with their colon as bytes; others read as strings.
		switch {
		case q.Match(cloudWatchMetricsKey):
			ok = q.Skip()
		case q.Match(timestampKey):
			ok = p.timestampQuoted(q)
		default:
			key, isStr := q.Str()
			if !isStr || !q.Consume(':') {
				return false
			}
			if string(key) == "Timestamp" {
				ok = p.timestampQuoted(q)
			} else {
				ok = q.Skip()
			}
		}
		if !ok {
			return false
		}
		if !q.Consume(',') {
			return q.Consume('}')
		}
	}
}

func (p *Parser) timestampQuoted(q *jsonscan.Quoted) bool {
	raw, ok := q.Number()
	if !ok {
		return false
	}
	ms, err := parseMillis(raw)
	if err != nil {
		return false
	}
	p.point.Millis = ms
	return true
}
