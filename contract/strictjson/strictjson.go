// Package strictjson decodes the JSON files people write or keep by hand (the deployment
// settings, the end-user config.json, a package's Claude Code settings, stack outputs): one
// value, no field the type lacks (usually a typo), and nothing after it.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// ErrTrailingData is returned when anything but white space follows the JSON value.
var ErrTrailingData = errors.New("trailing data after the JSON object")

// ErrEmpty is returned for input that holds no JSON value at all.
var ErrEmpty = errors.New("no JSON object (the input is empty)")

// Unmarshal decodes data into v as json.Unmarshal does, but an object field that v has no
// place for is an error (maps take any field), and so is data after the first value.
func Unmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return ErrEmpty
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ErrTrailingData
	}
	return nil
}
