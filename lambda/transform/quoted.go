package transform

import (
	"bytes"
	"errors"

	"ccwb.dev/lambda/emf"
	"ccwb.dev/lambda/jsonscan"
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
	s.Reset(d.raw)
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

// The start of a log event as CloudWatch Logs writes it, up to the message's opening quote:
// {"id":"<digits>","timestamp":<digits>,"message":"
var (
	eventID        = []byte(`{"id":"`)
	eventTimestamp = []byte(`","timestamp":`)
	eventMessage   = []byte(`,"message":"`)
)

func (d *Decoder) logEventQuoted() error {
	if ok, err := d.logEventExact(); ok {
		return err
	}
	return d.logEventFields()
}

// logEventExact reads a log event laid out exactly as CloudWatch Logs writes it, matching
// its keys as bytes. It reports false, having read nothing, for any other layout.
func (d *Decoder) logEventExact() (bool, error) {
	s := &d.env
	rest := s.Rest()
	if !bytes.HasPrefix(rest, eventID) {
		return false, nil
	}
	i := jsonscan.PlainEnd(rest, len(eventID)) // the id: a string without escapes
	if !bytes.HasPrefix(rest[i:], eventTimestamp) {
		return false, nil
	}
	i += len(eventTimestamp)
	millis, n := jsonscan.Digits(rest[i:])
	j := i + n
	// Unix milliseconds as a JSON number: 1 to 15 digits, no leading zero.
	if n == 0 || n > 15 || rest[i] == '0' && n > 1 || !bytes.HasPrefix(rest[j:], eventMessage) {
		return false, nil
	}
	i = j + len(eventMessage)
	q := &d.quoted
	q.Reset(rest[i:])
	if !d.parser.ParseQuoted(q, millis, d.emit) {
		return true, errNotPlain
	}
	i += q.Pos()
	if i < len(rest) && rest[i] == '}' {
		s.Advance(i + 1)
		return true, nil
	}
	return true, errNotPlain // more fields after the message: rows emitted are discarded
}

// logEventFields reads a log event field by field.
func (d *Decoder) logEventFields() error {
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
