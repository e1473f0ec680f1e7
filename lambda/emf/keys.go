package emf

import (
	"ccwb.dev/lambda/jsonscan"
	"ccwb.dev/lambda/schema"
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

// keyTable finds keyNames without hashing whole keys: a perfect hash of a key's length and
// three of its bytes, its multiplier searched once at start-up, then one comparison.
type keyTable struct {
	mult  uint32
	names [keySlots]string
	infos [keySlots]keyInfo
}

const keyBits = 8
const keySlots = 1 << keyBits

func keyHash[K string | []byte](key K, mult uint32) uint32 {
	n := len(key)
	if n == 0 {
		return 0
	}
	x := uint32(n) | uint32(key[0])<<8 | uint32(key[n-1])<<16 | uint32(key[n/2])<<24
	return (x * mult) >> (32 - keyBits)
}

var keys = func() *keyTable {
	for mult := uint32(0x9e3779b1); mult < 0x9e3779b1+1<<20; mult += 2 {
		t := &keyTable{mult: mult}
		ok := true
		for name, info := range keyNames {
			h := keyHash(name, mult)
			if t.names[h] != "" {
				ok = false
				break
			}
			t.names[h], t.infos[h] = name, info
		}
		if ok {
			return t
		}
	}
	panic("emf: no perfect hash for the schema's key names; raise keyBits")
}()

// find returns what key is (keyOther for keys Parse skips) and its slot in the table (the
// slot a known key would have, for others).
func (t *keyTable) find(key []byte) (keyInfo, int) {
	h := keyHash(key, t.mult)
	if t.names[h] == string(key) {
		return t.infos[h], int(h)
	}
	return keyInfo{}, int(h)
}

func lookup(key []byte, escaped bool) keyInfo {
	if escaped {
		info, _ := keys.find(jsonscan.Unescape(nil, key))
		return info
	}
	info, _ := keys.find(key)
	return info
}
