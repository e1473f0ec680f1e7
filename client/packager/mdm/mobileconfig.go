// Package mdm writes the files an MDM pushes to a thousand laptops from one deployment:
// Claude Code's managed settings as a macOS configuration profile and a Windows registry
// file, Claude Desktop's third-party inference settings for Bedrock in both forms, and
// silent, per-user, idempotent install scripts (docs/platform/mdm.md). It knows nothing of
// how the settings are made: the caller passes them in.
package mdm

import (
	"bytes"
	"fmt"

	"github.com/google/uuid"
	"howett.net/plist"
)

// namespace makes the UUIDs of a deployment's profiles deterministic (UUIDv5), so that a
// regenerated profile is byte for byte the same and replaces the installed one.
var namespace = uuid.MustParse("8b0f4a53-3d5e-4f0e-9a51-6c0c2b8e7d14")

// Payload is one payload of a configuration profile: a managed-preferences domain and its keys.
type Payload struct {
	// Domain is the preference domain (PayloadType of a custom-settings payload), e.g.
	// com.anthropic.claudefordesktop.
	Domain string
	// Keys are the preferences.
	Keys map[string]any
}

// Profile is a macOS configuration profile (.mobileconfig) of one payload, in the format
// of https://developer.apple.com/documentation/devicemanagement/toplevel: a Configuration
// whose PayloadContent holds the payload dictionary with its own identifier, UUID and
// version beside the keys. identifier is reverse-DNS, unique per deployment and domain.
func Profile(identifier, displayName, description string, p Payload) ([]byte, error) {
	content := map[string]any{
		"PayloadType":        p.Domain,
		"PayloadIdentifier":  identifier + "." + p.Domain,
		"PayloadUUID":        uuidOf(identifier + "/" + p.Domain),
		"PayloadVersion":     1,
		"PayloadDisplayName": displayName,
	}
	for k, v := range p.Keys {
		if _, taken := content[k]; taken {
			return nil, fmt.Errorf("mobileconfig: key %s collides with a payload key", k)
		}
		content[k] = v
	}
	top := map[string]any{
		"PayloadType":        "Configuration",
		"PayloadVersion":     1,
		"PayloadIdentifier":  identifier,
		"PayloadUUID":        uuidOf(identifier),
		"PayloadDisplayName": displayName,
		"PayloadDescription": description,
		"PayloadScope":       "System",
		"PayloadContent":     []any{content},
	}
	var buf bytes.Buffer
	enc := plist.NewEncoderForFormat(&buf, plist.XMLFormat)
	enc.Indent("\t")
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	return buf.Bytes(), nil
}

func uuidOf(name string) string {
	return uuid.NewSHA1(namespace, []byte(name)).String()
}
