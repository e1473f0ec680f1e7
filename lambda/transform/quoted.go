package transform

import (
	"bytes"
	"errors"

	"ccwb.dev/lambda/emf"
)

// errNotPlain stops the one-pass path; decodeUnescaped then reads the record.
var errNotPlain = errors.New("not in the plain form the one-pass decoder reads")

// decodeQuoted decodes the record held in d.raw in one pass, reading each message's EMF in
// place inside the escaped JSON string (emf.Parser.ParseQuoted). It handles what CloudWatch
// Logs sends for data: DATA_MESSAGEs with messageType before logEvents, each log event's
// timestamp before its message, messages as a JSON encoder writes them. On anything else,
// valid or not, it reports false and decodeUnescaped decodes the record (and names the
// error of an invalid one), so both give the same result.
func (d *Decoder) decodeQuoted(dst []byte) ([]byte, int, bool) {
	if d.emit == nil {
		d.emit = func(p *emf.Point) {
			d.out = AppendRow(d.out, p)
			d.rows++
		}
	}
	d.out, d.rows = dst, 0
	defer func() { d.out = nil }()
	s := &d.env
	s.Reset(d.raw.Bytes())
	if s.Peek() == 0 {
		return dst, 0, false
	}
	for s.Peek() != 0 {
		if err := d.envelopeQuoted(); err != nil {
			return dst, 0, false
		}
	}
	return d.out, d.rows, true
}

// envelopeQuoted reads one DATA_MESSAGE, appending its rows to d.out.
func (d *Decoder) envelopeQuoted() error {
	s := &d.env
	isData, logEvents := false, false
	err := s.Object(func(key []byte, _ bool) error {
		switch string(key) {
		case "messageType":
			raw, _, err := s.Str()
			if err != nil || isData || logEvents || !bytes.Equal(raw, dataMessage) {
				return errNotPlain
			}
			isData = true
			return nil
		case "logEvents":
			if !isData {
				return errNotPlain
			}
			logEvents = true
			return s.Array(d.logEventQuoted)
		default:
			return s.Skip()
		}
	})
	if err == nil && !isData {
		err = errNotPlain
	}
	return err
}

func (d *Decoder) logEventQuoted() error {
	s := &d.env
	var millis int64
	timestamp, message := false, false
	err := s.Object(func(key []byte, _ bool) error {
		switch string(key) {
		case "message":
			if message || !timestamp || s.Peek() != '"' {
				return errNotPlain
			}
			message = true
			q := &d.quoted
			q.Reset(s.Rest()[1:])
			if !d.parser.ParseQuoted(q, millis, d.emit) {
				return errNotPlain
			}
			s.Advance(1 + q.Pos())
			return nil
		case "timestamp":
			if message {
				return errNotPlain
			}
			raw, err := s.Number()
			if err != nil {
				return err
			}
			timestamp = true
			millis, err = parseMillis(raw)
			return err
		default:
			return s.Skip()
		}
	})
	if err == nil && !message {
		err = errNotPlain
	}
	return err
}
