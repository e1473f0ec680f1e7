package quota

import (
	"time"

	"ccwb.dev/contract/config"
)

// Defaults shared by the quota service, the credential process and the settings.
const (
	// CheckTimeout bounds the credential process's one call to the check service.
	CheckTimeout = 3 * time.Second
	// CheckPath is the check service's route (POST, the ID token as bearer).
	CheckPath = "/v1/check"
	// DefaultMaxBlockedUsers sizes the deny policies (quota.max_blocked_users).
	DefaultMaxBlockedUsers = 500
	// PolicyCacheTTL is how long the quota service keeps the policies it read.
	PolicyCacheTTL = time.Minute
	// DefaultGroupsClaim is the ID-token claim that lists a user's groups (quota.groups_claim).
	DefaultGroupsClaim = "groups"
	// DefaultTimezone is the zone whose midnight starts a day and a month (quota.timezone).
	DefaultTimezone = "UTC"
)

// DefaultWarnAt are the percentages a policy warns at when it names none.
var DefaultWarnAt = []int{80, 90}

// FailModes lists what the credential process may do when the check service cannot be
// reached (quota.fail_mode, config.json quota_fail_mode): federate, or refuse.
var FailModes = []string{config.QuotaFailOpen, config.QuotaFailClosed}

// Unknown-groups modes: which policy applies to a subject the check service never saw
// (someone calling STS directly with an ID token), whose groups the quota service cannot
// know.
const (
	UnknownStrictest = "strictest" // the strictest group policy of each metric and period
	UnknownDefault   = "default"   // the default policy
)

// Invocation-logging modes (quota.invocation_logging): set up the Region's Bedrock model
// invocation logging, or read the log group of an existing configuration.
const (
	LoggingCreate = "create"
	LoggingJoin   = "join"
)
