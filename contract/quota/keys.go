package quota

import (
	"strconv"
	"strings"
)

// The DynamoDB layout the quota service and `ccwb quota` share. Two tables, each with a
// string partition key "pk" and (the quota table) a string sort key "sk"; "expires_at" is
// the TTL attribute (seconds since the epoch). Expired items may still be read until TTL
// deletes them ("typically within two days",
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html), so
// readers compare expires_at themselves.
const (
	AttrPK        = "pk"
	AttrSK        = "sk"
	AttrExpiresAt = "expires_at"
)

// Partition keys and sort-key prefixes of the quota table.
const (
	PKPolicy   = "POLICY"   // sk: Policy.ID()
	PKBlock    = "BLOCK"    // sk: subject; the deny policies list these
	PKOverride = "OVERRIDE" // sk: subject; an administrator's unblock until "until"
	PKState    = "STATE"    // sk: "SWEEP#<region>"
	SKProfile  = "PROFILE"  // under UserPK: email, groups (from the last verified token)
	// NotePrefix starts the sort key of a notification marker under UserPK (NoteSK): the
	// enforcer's stream filter and the enforcer pick them out by it.
	NotePrefix = "N#"
	userPrefix = "U#"
)

// Attribute names of the items.
const (
	AttrInput          = "input"
	AttrOutput         = "output"
	AttrCacheRead      = "cache_read"
	AttrCacheCreation  = "cache_creation"
	AttrMicroUSD       = "usd_micros"
	AttrUnpricedTokens = "unpriced_tokens"
	AttrUnpricedModels = "unpriced_models" // string set
	AttrRequests       = "requests"
	AttrPolicy         = "policy" // JSON of a Policy
	AttrEmail          = "email"
	AttrGroups         = "groups" // string set
	AttrLastCheck      = "last_check"
	AttrUntil          = "until" // RFC 3339
	AttrBy             = "by"
	AttrReason         = "reason"
	AttrLimit          = "limit"
	AttrUsed           = "used"
	AttrSince          = "since"
	AttrSweptUntil     = "swept_until" // milliseconds since the epoch
	AttrMessage        = "message"     // a notification marker's text, which the enforcer publishes
)

// UserPK is the partition of one subject's usage, profile and notifications.
func UserPK(sub string) string { return userPrefix + sub }

// SubjectOf reverses UserPK; ok is false for another partition.
func SubjectOf(pk string) (string, bool) {
	if len(pk) > len(userPrefix) && pk[:len(userPrefix)] == userPrefix {
		return pk[len(userPrefix):], true
	}
	return "", false
}

// NoteSK marks that a threshold's notification went out for a policy in a period.
func NoteSK(periodKey string, p Policy, percent int) string {
	return NotePrefix + periodKey + "#" + string(p.Metric) + "#" + strconv.Itoa(percent)
}

// IsNoteSK reports whether a sort key under UserPK is a notification marker.
func IsNoteSK(sk string) bool { return strings.HasPrefix(sk, NotePrefix) }

// IsUsageSK reports whether a sort key under UserPK is a period's usage.
func IsUsageSK(sk string) bool { return len(sk) > 2 && (sk[:2] == "D#" || sk[:2] == "M#") }

// LedgerKey is the ledger item of one counted invocation (pk of the ledger table): the
// same request logged twice, or read again by the sweep, is counted once.
func LedgerKey(region, requestID string) string { return "L#" + region + "#" + requestID }

// SweepSK is the sweep's checkpoint of one Region's log group.
func SweepSK(region string) string { return "SWEEP#" + region }

// Retention of the items (TTL), after the period or the invocation.
const (
	DayUsageDays   = 35  // a day's usage is kept 35 days after the day
	MonthUsageDays = 400 // a month's usage 400 days
	LedgerDays     = 15  // a ledger entry 15 days: longer than the sweep reaches back
	ProfileDays    = 400 // a subject's profile 400 days after their last check
	SweepReachDays = 14
)

// TableName and LedgerTableName are the physical names of a deployment's quota tables:
// the collectors in other Regions' stacks write to them by name.
func TableName(deployment string) string       { return deployment + "-quota" }
func LedgerTableName(deployment string) string { return deployment + "-quota-ledger" }
