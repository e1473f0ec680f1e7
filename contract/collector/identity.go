package collector

import "ccwb.dev/contract/schema"

// resourceProcessor drops identity attributes a client put on its resource (for example
// through OTEL_RESOURCE_ATTRIBUTES): identity comes from the authenticated request only.
func resourceProcessor() map[string]any {
	var actions []map[string]any
	for _, a := range schema.IdentityAttributes() {
		actions = append(actions, map[string]any{"key": a.Name, "action": "delete"})
	}
	return map[string]any{"attributes": actions}
}

// attributesProcessor sets the identity attributes of every data point from the request:
// whatever the client put there is deleted first, then each attribute is taken from its
// header (the otel-helper's output), except the stable user id, which is the hash of the
// subject the oidc authenticator verified: the same value as schema.StableID, which the
// hash action computes (SHA-256, lowercase hex).
func attributesProcessor() map[string]any {
	var actions []map[string]any
	for _, a := range schema.IdentityAttributes() {
		actions = append(actions, map[string]any{"key": a.Name, "action": "delete"})
		if a.Hashed {
			actions = append(actions,
				map[string]any{"key": a.Name, "from_context": "auth.subject", "action": "insert"},
				map[string]any{"key": a.Name, "action": "hash"})
			continue
		}
		actions = append(actions, map[string]any{"key": a.Name, "from_context": "metadata." + a.Header, "action": "insert"})
	}
	return map[string]any{"actions": actions}
}
