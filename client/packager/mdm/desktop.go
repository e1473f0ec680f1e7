package mdm

import (
	"encoding/json"
	"fmt"
)

// Where Claude Desktop and Claude Code read managed settings.
const (
	// DesktopDomain is Claude Desktop's managed-preferences domain on macOS
	// (/Library/Managed Preferences/<user>/com.anthropic.claudefordesktop.plist), and
	// DesktopRegKey its machine policy key on Windows
	// (https://claude.com/docs/third-party/claude-desktop/configuration, "How keys are read").
	DesktopDomain = "com.anthropic.claudefordesktop"
	DesktopRegKey = `HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude`
	// ClaudeCodeDomain is Claude Code's managed-preferences domain on macOS; on Windows its
	// policy is the JSON of managed-settings.json in the value Settings of ClaudeCodeRegKey
	// (https://code.claude.com/docs/en/settings, "Configuration scopes").
	ClaudeCodeDomain   = "com.anthropic.claudecode"
	ClaudeCodeRegKey   = `HKEY_LOCAL_MACHINE\SOFTWARE\Policies\ClaudeCode`
	ClaudeCodeRegValue = "Settings"
)

// Desktop is Claude Desktop's third-party inference configuration for a deployment:
// Bedrock through the AWS named profile the installer writes, whose credential_process is
// ccwb's, so that every request is the signed-in user's session.
type Desktop struct {
	Profile, Region string
	Models          []string
}

// Values are the Desktop keys in a fixed order, every value a string.
func (d Desktop) Values() ([]Value, error) {
	if d.Profile == "" || d.Region == "" {
		return nil, fmt.Errorf("claude desktop: profile and region are required")
	}
	type model struct {
		Name string `json:"name"`
	}
	var models []model
	for _, m := range d.Models {
		if m != "" {
			models = append(models, model{m})
		}
	}
	out := []Value{
		{"inferenceProvider", "bedrock"},
		{"inferenceBedrockRegion", d.Region},
		{"inferenceBedrockProfile", d.Profile},
	}
	if len(models) > 0 {
		j, err := json.Marshal(models)
		if err != nil {
			return nil, err
		}
		out = append(out, Value{"inferenceModels", string(j)})
	}
	return out, nil
}
