package transform

import (
	"math"
	"strconv"

	"ccwb.dev/contract/schema"
	"ccwb.dev/lambda/emf"
)

// The JSON pieces of a row, derived once from the schema: a row's keys are exactly the
// analytics columns (schema.Columns), so Firehose's OpenX JSON SerDe maps them onto the
// Glue table by name.
var (
	colNames   = columnNames()
	metricJSON = func() [][]byte {
		out := make([][]byte, len(schema.Metrics))
		for i, m := range schema.Metrics {
			out[i] = []byte(`,"` + colNames[1] + `":` + strconv.Quote(m.Name))
		}
		return out
	}()
	unitJSON = func() [][]byte {
		out := make([][]byte, len(schema.Metrics))
		for i, m := range schema.Metrics {
			out[i] = []byte(`,"` + colNames[3] + `":` + strconv.Quote(m.Unit))
		}
		return out
	}()
	attrKeys = func() (out [schema.NumAttributes][]byte) {
		for i, a := range schema.Attributes {
			out[i] = []byte(`,"` + a.Column() + `":"`)
		}
		return out
	}()
	timeKey  = []byte(`{"` + colNames[0] + `":`)
	valueKey = []byte(`,"` + colNames[2] + `":`)
)

func columnNames() []string {
	var names []string
	for _, c := range schema.Columns() {
		names = append(names, c.Name)
	}
	return names
}

// AppendRow appends p as one line of JSON: event_time as Unix milliseconds (a timestamp
// format the OpenX JSON SerDe reads), metric_name, value, unit, then one key per attribute
// the point carries (absent attributes are left out and read as NULL).
func AppendRow(dst []byte, p *emf.Point) []byte {
	dst = append(dst, timeKey...)
	dst = strconv.AppendInt(dst, p.Millis, 10)
	dst = append(dst, metricJSON[p.Metric]...)
	dst = append(dst, valueKey...)
	dst = appendValue(dst, p.Value)
	dst = append(dst, unitJSON[p.Metric]...)
	for i, v := range &p.Attrs {
		if v != nil { // raw JSON string content: copied as it is
			dst = append(dst, attrKeys[i]...)
			dst = append(dst, v...)
			dst = append(dst, '"')
		}
	}
	return append(dst, '}', '\n')
}

// appendValue appends v as strconv.AppendFloat(dst, v, 'g', -1, 64) does, taking the
// short way for the whole numbers most metrics carry: below 1e6 'g' writes them as
// integers (from 1e6 on it switches to an exponent).
func appendValue(dst []byte, v float64) []byte {
	if v > -1e6 && v < 1e6 && v == float64(int64(v)) && (v != 0 || !math.Signbit(v)) {
		return strconv.AppendInt(dst, int64(v), 10)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}
