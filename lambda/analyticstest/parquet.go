package analyticstest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/parquet-go/parquet-go"

	"ccwb.dev/contract/schema"
)

// ParquetSchema is the analytics table as Parquet: one optional column per
// schema.Columns() entry, dictionary-encoded strings, millisecond timestamps without zone.
func ParquetSchema() *parquet.Schema {
	g := parquet.Group{}
	for _, c := range schema.Columns() {
		var n parquet.Node
		switch c.Type {
		case schema.String:
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		case schema.Double:
			n = parquet.Leaf(parquet.DoubleType)
		case schema.Timestamp:
			// Glue's timestamp has no zone (the values are UTC), like Firehose's output.
			n = parquet.TimestampAdjusted(parquet.Millisecond, false)
		default:
			panic(fmt.Sprintf("column %s: no Parquet type for %q", c.Name, c.Type))
		}
		g[c.Name] = parquet.Optional(n)
	}
	return parquet.NewSchema("claude_code_metrics", g)
}

// WriteParquet converts newline-delimited JSON rows (the transform's output) to Parquet
// the way Firehose's record format conversion does: each key is mapped onto the column
// of the same name, event_time read as Unix milliseconds, absent keys as NULL. Unlike
// Firehose it rejects unknown keys and wrong types, so a test catches them.
func WriteParquet(w io.Writer, ndjson []byte) (rows int, err error) {
	sch := ParquetSchema()
	cols := sch.Columns()
	index := map[string]int{}
	types := map[string]schema.ColumnType{}
	for _, c := range schema.Columns() {
		types[c.Name] = c.Type
	}
	for i, path := range cols {
		index[path[0]] = i
	}
	pw := parquet.NewWriter(w, sch, parquet.Compression(&parquet.Snappy))
	sc := bufio.NewScanner(bytes.NewReader(ndjson))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return rows, fmt.Errorf("row %d: %w", line, err)
		}
		row := make(parquet.Row, len(cols))
		for i := range row {
			row[i] = parquet.NullValue().Level(0, 0, i)
		}
		for k, v := range m {
			i, ok := index[k]
			if !ok {
				return rows, fmt.Errorf("row %d: key %q is not a column of the table", line, k)
			}
			val, err := parquetValue(types[k], v)
			if err != nil {
				return rows, fmt.Errorf("row %d, column %s: %w", line, k, err)
			}
			row[i] = val.Level(0, 1, i)
		}
		if _, err := pw.WriteRows([]parquet.Row{row}); err != nil {
			return rows, fmt.Errorf("row %d: %w", line, err)
		}
		rows++
	}
	if err := sc.Err(); err != nil {
		return rows, err
	}
	return rows, pw.Close()
}

func parquetValue(t schema.ColumnType, v any) (parquet.Value, error) {
	switch t {
	case schema.String:
		s, ok := v.(string)
		if !ok {
			return parquet.Value{}, fmt.Errorf("%v is not a string", v)
		}
		return parquet.ByteArrayValue([]byte(s)), nil
	case schema.Double:
		n, ok := v.(json.Number)
		if !ok {
			return parquet.Value{}, fmt.Errorf("%v is not a number", v)
		}
		f, err := n.Float64()
		return parquet.DoubleValue(f), err
	case schema.Timestamp:
		n, ok := v.(json.Number)
		if !ok {
			return parquet.Value{}, fmt.Errorf("%v is not Unix milliseconds", v)
		}
		ms, err := n.Int64()
		return parquet.Int64Value(ms), err
	}
	return parquet.Value{}, fmt.Errorf("unknown column type %q", t)
}

// PartitionDir is where Firehose writes objects that arrive at t under the table's
// prefix: year=YYYY/month=MM/day=DD/hour=HH (UTC), the schema's partition keys.
func PartitionDir(root string, t time.Time) string {
	t = t.UTC()
	v := []string{t.Format("2006"), t.Format("01"), t.Format("02"), t.Format("15")}
	parts := []string{root}
	for i, k := range schema.PartitionKeys {
		parts = append(parts, k+"="+v[i])
	}
	return filepath.Join(parts...)
}

// WritePartition writes ndjson as one Parquet object into the partition of arrival
// under root, named like a Firehose object, and returns its path.
func WritePartition(root string, arrival time.Time, seq int, ndjson []byte) (string, error) {
	dir := PartitionDir(root, arrival)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("ccwb-analytics-1-%s-%04d.parquet", arrival.UTC().Format("2006-01-02-15-04-05"), seq))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if _, err := WriteParquet(f, ndjson); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, f.Close()
}
