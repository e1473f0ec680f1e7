package emf

import (
	"ccwb.dev/contract/schema"
	"ccwb.dev/lambda/jsonscan"
)

// key kinds of an EMF event's top-level fields.
const (
	keyOther = iota
	keyAttr
	keyMetric
	keyAWS
)

type keyInfo struct{ kind, index int }

// keyNames are the top-level keys Parse reads: _aws, the attributes, the metrics.
var keyNames = func() map[string]keyInfo {
	m := map[string]keyInfo{"_aws": {kind: keyAWS}}
	for i, a := range schema.Attributes {
		m[a.Name] = keyInfo{keyAttr, i}
	}
	for i, mt := range schema.Metrics {
		m[mt.Name] = keyInfo{keyMetric, i}
	}
	return m
}()

// lookup returns what the raw key (escapes intact when escaped) is: keyOther for the keys
// Parse skips.
func lookup(key []byte, escaped bool) keyInfo {
	if escaped {
		key = jsonscan.Unescape(nil, key)
	}
	return keyNames[string(key)]
}
