package transform

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"

	"ccwb.dev/lambda/emf"
	"ccwb.dev/lambda/schema"
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
	attrKeys = func() (out [schema.NumAttributes]key) {
		for i, a := range schema.Attributes {
			k := `,"` + a.Column() + `":"`
			if len(k) > len(out[i].text) {
				panic("transform: column name too long for a row key: " + a.Column())
			}
			out[i].n = copy(out[i].text[:], k)
		}
		return out
	}()
	timeKey  = []byte(`{"` + colNames[0] + `":`)
	valueKey = []byte(`,"` + colNames[2] + `":`)
)

// key is the JSON text that opens an attribute's value in a row, in a fixed-size array so
// it is copied as one move.
type key struct {
	text [32]byte
	n    int
}

// shortValue is the longest attribute value AppendRow copies as one fixed-size move.
const shortValue = 32

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
	// Room for the whole row, with slack for the fixed-size moves below.
	need := len(timeKey) + 20 + len(metricJSON[p.Metric]) + len(valueKey) + 32 + len(unitJSON[p.Metric]) + 2
	for _, v := range &p.Attrs {
		need += len(v) + len(key{}.text) + shortValue
	}
	dst = slices.Grow(dst, need)
	dst = append(dst, timeKey...)
	dst = strconv.AppendInt(dst, p.Millis, 10)
	dst = append(dst, metricJSON[p.Metric]...)
	dst = append(dst, valueKey...)
	dst = appendValue(dst, p.Value)
	dst = append(dst, unitJSON[p.Metric]...)
	n := len(dst)
	buf := dst[:cap(dst)]
	for i, v := range &p.Attrs {
		if v == nil {
			continue
		}
		k := &attrKeys[i]
		move32(buf[n:], k.text[:])
		n += k.n
		if len(v) <= shortValue && cap(v) >= shortValue {
			// v lies inside the record's text: the bytes after it are readable too.
			move32(buf[n:], v[:shortValue])
		} else {
			copy(buf[n:], v)
		}
		n += len(v)
		buf[n] = '"'
		n++
	}
	buf[n], buf[n+1] = '}', '\n'
	return buf[:n+2]
}

// move32 copies the first 32 bytes of src to dst as four 8-byte moves, without a call.
func move32(dst, src []byte) {
	_, _ = dst[31], src[31]
	binary.LittleEndian.PutUint64(dst, binary.LittleEndian.Uint64(src))
	binary.LittleEndian.PutUint64(dst[8:], binary.LittleEndian.Uint64(src[8:]))
	binary.LittleEndian.PutUint64(dst[16:], binary.LittleEndian.Uint64(src[16:]))
	binary.LittleEndian.PutUint64(dst[24:], binary.LittleEndian.Uint64(src[24:]))
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
