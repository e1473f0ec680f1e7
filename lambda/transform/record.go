// Package transform is the Firehose data-transformation step of the analytics pipeline:
// it turns CloudWatch Logs subscription records carrying EMF metric events into newline-
// delimited JSON rows of the analytics schema, which Firehose converts to Parquet.
package transform

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"

	"ccwb.dev/lambda/emf"
	"ccwb.dev/lambda/jsonscan"
)

// MaxDecompressed bounds the decompressed size of one record; CloudWatch Logs never sends
// more than about 1 MB, so anything larger is hostile or corrupt.
const MaxDecompressed = 16 << 20

// Kind says what a record held.
type Kind int

const (
	// Data is a DATA_MESSAGE: log events, possibly without Claude Code metrics.
	Data Kind = iota
	// Control is a CONTROL_MESSAGE CloudWatch Logs sends to check the destination.
	Control
)

type logEvent struct {
	millis     int64
	start, end int // the decoded message in Decoder.msgs
}

// Decoder decodes CloudWatch Logs subscription records. It reuses its buffers and its gzip
// reader from record to record: use one per goroutine.
type Decoder struct {
	src    bytes.Reader // the record data, as the gzip reader's input
	zr     gzip.Reader
	raw    bytes.Buffer // the decompressed record
	msgs   []byte       // the decoded messages of the current subscription message
	env    jsonscan.Scanner
	events []logEvent
	parser emf.Parser
}

// Decode appends to dst one JSON row (see AppendRow) per Claude Code metric data point of
// the record data, a gzip-compressed CloudWatch Logs subscription message, and reports
// the rows written and whether the record was a data or a control message. On error dst
// is returned unchanged.
//
// It reads the record in two passes: each log event's message is unescaped into a buffer,
// then parsed as EMF. Any valid record is read; what is wrong with an invalid one is named.
func (d *Decoder) Decode(dst, data []byte) (out []byte, rows int, kind Kind, err error) {
	if err := d.gunzip(data); err != nil {
		return dst, 0, Data, err
	}
	start := len(dst)
	out = dst
	s := &d.env
	s.Reset(d.raw.Bytes())
	kind = -1
	for n := 0; s.Peek() != 0; n++ {
		k, err := d.envelope()
		if err != nil {
			return dst, 0, Data, fmt.Errorf("subscription message %d: %w", n, err)
		}
		if kind != -1 && k != kind {
			return dst, 0, Data, errors.New("record mixes data and control messages")
		}
		kind = k
		if k == Control {
			continue
		}
		for i := range d.events {
			ev := &d.events[i]
			err := d.parser.Parse(d.msgs[ev.start:ev.end], ev.millis, func(p *emf.Point) error {
				out = AppendRow(out, p)
				rows++
				return nil
			})
			if err != nil {
				return dst, 0, Data, fmt.Errorf("subscription message %d, log event %d: %w", n, i, err)
			}
		}
	}
	if kind == -1 {
		return dst, 0, Data, errors.New("record holds no subscription message")
	}
	if kind == Control {
		return out[:start], 0, Control, nil
	}
	return out, rows, Data, nil
}

// gunzip decompresses the record data (one gzip stream, of one or more members) into d.raw.
func (d *Decoder) gunzip(data []byte) error {
	d.src.Reset(data)
	d.raw.Reset()
	if err := d.zr.Reset(&d.src); err != nil {
		return fmt.Errorf("gunzip record: %w", err)
	}
	n, err := d.raw.ReadFrom(io.LimitReader(&d.zr, MaxDecompressed+1))
	switch {
	case err != nil:
		return fmt.Errorf("gunzip record: %w", err)
	case n > MaxDecompressed:
		return fmt.Errorf("record decompresses to more than %d bytes", MaxDecompressed)
	}
	return nil
}

var (
	dataMessage    = []byte("DATA_MESSAGE")
	controlMessage = []byte("CONTROL_MESSAGE")
)

// envelope reads one subscription message, collecting its log events.
func (d *Decoder) envelope() (Kind, error) {
	s := &d.env
	d.events = d.events[:0]
	d.msgs = d.msgs[:0]
	kind := Kind(-1)
	err := s.Object(func(key []byte, _ bool) error {
		switch string(key) {
		case "messageType":
			raw, _, err := s.Str()
			switch {
			case err != nil:
				return err
			case bytes.Equal(raw, dataMessage):
				kind = Data
			case bytes.Equal(raw, controlMessage):
				kind = Control
			default:
				return fmt.Errorf("unknown messageType %q", raw)
			}
			return nil
		case "logEvents":
			return s.Array(d.logEvent)
		default:
			return s.Skip()
		}
	})
	if err != nil {
		return 0, err
	}
	if kind == -1 {
		return 0, errors.New("no messageType")
	}
	return kind, nil
}

func (d *Decoder) logEvent() error {
	s := &d.env
	var ev logEvent
	seen := false
	err := s.Object(func(key []byte, _ bool) error {
		switch string(key) {
		case "message":
			var err error
			ev.start = len(d.msgs)
			d.msgs, err = s.StrInto(d.msgs)
			ev.end, seen = len(d.msgs), true
			return err
		case "timestamp":
			raw, err := s.Number()
			if err != nil {
				return err
			}
			ev.millis, err = parseMillis(raw)
			return err
		default:
			return s.Skip()
		}
	})
	if err != nil {
		return err
	}
	if !seen {
		return fmt.Errorf("log event %d has no message", len(d.events))
	}
	d.events = append(d.events, ev)
	return nil
}

func parseMillis(raw []byte) (int64, error) {
	ms, n := jsonscan.Digits(raw)
	if n != len(raw) || ms > 1e16 {
		return 0, fmt.Errorf("timestamp %q is not Unix milliseconds", raw)
	}
	return ms, nil
}
