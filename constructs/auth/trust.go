package auth

import "ccwb.dev/contract/federation"

// The direct-federation trust policy: two statements, as AWS documents for session tags
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required):
// sts:AssumeRoleWithWebIdentity under the audience and the attribution requirement, and
// sts:TagSession (needed whenever the token carries the tags claim) under the audience.

// directTrust is the condition of the AssumeRoleWithWebIdentity statement. The audience
// pins the ccwb client. With AttributionSubject the session name must be the token's
// subject: sts:RoleSessionName is a condition key of AssumeRoleWithWebIdentity, and
// "<issuer host/path>:sub" is a web identity context key usable as a policy variable.
// With AttributionTags the token must carry the sub and email principal tags, sub equal
// to the token's subject.
func directTrust(hostPath, clientID, attribution string) *map[string]any {
	equals := map[string]any{hostPath + ":aud": clientID}
	conditions := map[string]any{"StringEquals": equals}
	switch attribution {
	case federation.AttributionSubject:
		equals["sts:RoleSessionName"] = subjectVariable(hostPath)
	case federation.AttributionTags:
		equals["aws:RequestTag/sub"] = subjectVariable(hostPath)
		conditions["StringLike"] = map[string]any{"aws:RequestTag/email": "*"}
	}
	return &conditions
}

// tagSessionTrust is the condition of the sts:TagSession statement.
func tagSessionTrust(hostPath, clientID, attribution string) *map[string]any {
	equals := map[string]any{hostPath + ":aud": clientID}
	if attribution == federation.AttributionTags {
		equals["aws:RequestTag/sub"] = subjectVariable(hostPath)
	}
	return &map[string]any{"StringEquals": equals}
}

// subjectVariable is the policy variable of the ID token's verified subject.
func subjectVariable(hostPath string) string { return "${" + hostPath + ":sub}" }
