// Package schema holds the contracts that the client, the collector, the transform Lambda
// and the analytics tables share: the identity and context attributes a metric carries,
// and the flat analytics row. Every header name, metric attribute, EMF dimension and
// analytics column is derived from the lists in this package; nothing is spelled twice.
package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Attribute is one string attribute of a Claude Code metric data point.
type Attribute struct {
	// Name is the metric attribute as the collector and Claude Code set it, e.g.
	// "user.email"; it is also the EMF dimension name.
	Name string
	// Header is the HTTP header the otel-helper sends for an identity attribute ("" for
	// a context attribute, which Claude Code sets itself).
	Header string
	// Claims are the ID-token claims the value comes from, first non-empty wins.
	Claims []string
	// Default is the value when no claim has one ("" leaves the attribute unset).
	Default string
	// Hashed says the value is StableID(claim value) instead of the claim itself.
	Hashed bool
	// Doc says what the attribute is, for docs and column comments.
	Doc string
}

// Identity reports whether the attribute comes from the user's ID token.
func (a Attribute) Identity() bool { return a.Header != "" }

// Column is the analytics column name: the attribute name with dots as underscores.
func (a Attribute) Column() string { return strings.ReplaceAll(a.Name, ".", "_") }

// Attributes lists the identity attributes (from the ID token, sent by the otel-helper as
// headers) and then the context attributes (set by Claude Code on each data point).
var Attributes = [...]Attribute{
	{Name: "user.email", Header: "x-user-email", Claims: []string{"email", "preferred_username", "upn", "mail"}, Doc: "the user's email address"},
	{Name: "user.id", Header: "x-user-id", Claims: []string{"sub"}, Hashed: true, Doc: "a stable pseudonymous user id derived from the token subject"},
	{Name: "user.name", Header: "x-user-name", Claims: []string{"name", "preferred_username", "email"}, Doc: "the user's display name"},
	{Name: "organization", Header: "x-organization", Claims: []string{"organization", "org", "organization_name", "company"}, Default: "default", Doc: "the user's organization"},
	{Name: "department", Header: "x-department", Claims: []string{"department", "dept", "division"}, Default: "unspecified", Doc: "the user's department"},
	{Name: "team.id", Header: "x-team-id", Claims: []string{"team", "team_id", "teamId", "group"}, Default: "default", Doc: "the user's team"},
	{Name: "cost_center", Header: "x-cost-center", Claims: []string{"cost_center", "costCenter", "cost-center", "costcenter"}, Default: "default", Doc: "the user's cost centre"},
	{Name: "location", Header: "x-location", Claims: []string{"location", "office_location", "officeLocation", "city"}, Default: "unknown", Doc: "the user's office location"},
	{Name: "role", Header: "x-role", Claims: []string{"role", "job_title", "jobTitle", "title"}, Default: "unknown", Doc: "the user's job role"},
	{Name: "manager", Header: "x-manager", Claims: []string{"manager", "manager_email", "managerEmail"}, Default: "unknown", Doc: "the user's manager"},

	{Name: "session.id", Doc: "the Claude Code session"},
	{Name: "organization.id", Doc: "the Claude Code organization id, when set"},
	{Name: "app.version", Doc: "the Claude Code version"},
	{Name: "terminal.type", Doc: "the terminal Claude Code runs in"},
	{Name: "model", Doc: "the model used"},
	{Name: "type", Doc: "the token type (input, output, cacheRead, cacheCreation), lines type (added, removed) or time type (user, cli)"},
	{Name: "tool", Doc: "the code-edit tool (Edit, MultiEdit, Write, NotebookEdit)"},
	{Name: "decision", Doc: "the user's decision on a code edit (accept, reject)"},
	{Name: "language", Doc: "the programming language of a code edit"},
}

// NumAttributes is len(Attributes), usable as an array length.
const NumAttributes = len(Attributes)

// IdentityAttributes returns the attributes that come from the ID token, in list order.
func IdentityAttributes() []Attribute {
	var out []Attribute
	for _, a := range Attributes {
		if a.Identity() {
			out = append(out, a)
		}
	}
	return out
}

// AttributeIndex returns the position of the attribute named name in Attributes, or -1.
func AttributeIndex(name string) int {
	for i, a := range Attributes {
		if a.Name == name {
			return i
		}
	}
	return -1
}

// StableID derives a stable, pseudonymous user id from a token subject: the SHA-256 of
// the subject, in lowercase hex. The same subject always gives the same id, and the
// collector derives the very same value from the verified token with the stock attributes
// processor's hash action, so the id on a metric never depends on what the client says.
func StableID(subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return hex.EncodeToString(sum[:])
}
