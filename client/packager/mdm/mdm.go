package mdm

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"ccwb.dev/client/internal/profile"
	"ccwb.dev/contract/distribution"
)

//go:embed scripts
var scriptFS embed.FS

var scripts = template.Must(template.New("").Option("missingkey=error").ParseFS(scriptFS, "scripts/*"))

// DefaultMacPackageDir is where install-macos.sh expects the unpacked package when Jamf's
// parameter 4 and CCWB_PACKAGE_DIR name none.
const DefaultMacPackageDir = "/Library/Application Support/ClaudeCodeWithBedrock/"

// Input is one deployment as the MDM files need it.
type Input struct {
	// Name is the deployment name; Identifier its reverse-DNS prefix for profiles
	// (default dev.ccwb.<name>).
	Name, Identifier string
	// Profile is the AWS profile the installer writes; Version the package's version.
	Profile, Version string
	// ManagedUnix and ManagedWindows are Claude Code's managed-settings.json for macOS and
	// Linux, and for Windows (the packager's mdm/*/managed-settings.json).
	ManagedUnix, ManagedWindows []byte
	// Desktop is Claude Desktop's configuration.
	Desktop Desktop
}

// File is one file ccwb mdm writes.
type File struct {
	Path string
	Data []byte
	Mode fs.FileMode
}

// Files are every MDM file of a deployment, by path under the output directory.
func Files(in Input) ([]File, error) {
	if in.Identifier == "" {
		in.Identifier = "dev.ccwb." + strings.ToLower(in.Name)
	}
	code, err := claudeCode(in)
	if err != nil {
		return nil, err
	}
	desktop, err := claudeDesktop(in)
	if err != nil {
		return nil, err
	}
	files := append(code, desktop...)
	data := struct{ Profile, Version, MacPackageDir, InstallDir, VersionFile string }{
		in.Profile, in.Version, DefaultMacPackageDir + in.Profile, profile.ConfigDirName, distribution.VersionFile,
	}
	for _, s := range []struct {
		name string
		crlf bool
	}{{"install-macos.sh", false}, {"install-windows.ps1", true}, {"detect-windows.ps1", true}} {
		var buf bytes.Buffer
		if err := scripts.ExecuteTemplate(&buf, s.name, data); err != nil {
			return nil, fmt.Errorf("mdm: render %s: %w", s.name, err)
		}
		b := buf.Bytes()
		if s.crlf {
			b = []byte(strings.ReplaceAll(buf.String(), "\n", "\r\n"))
		}
		files = append(files, File{"scripts/" + s.name, b, 0o755})
	}
	return files, nil
}

// claudeCode is Claude Code's managed settings: the JSON files as they are, a profile whose
// keys are the JSON's top-level keys, and a .reg whose Settings value holds the JSON.
func claudeCode(in Input) ([]File, error) {
	var keys map[string]any
	if err := json.Unmarshal(in.ManagedUnix, &keys); err != nil {
		return nil, fmt.Errorf("mdm: Claude Code managed settings: %w", err)
	}
	profile, err := Profile(in.Identifier+".claude-code", "Claude Code with Amazon Bedrock ("+in.Profile+")",
		"Claude Code's managed settings for the "+in.Name+" deployment: Bedrock, the AWS profile "+in.Profile+" and telemetry.",
		Payload{Domain: ClaudeCodeDomain, Keys: keys})
	if err != nil {
		return nil, err
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, in.ManagedWindows); err != nil {
		return nil, fmt.Errorf("mdm: Claude Code managed settings for Windows: %w", err)
	}
	return []File{
		{"claude-code/macos-linux/managed-settings.json", in.ManagedUnix, 0o644},
		{"claude-code/windows/managed-settings.json", in.ManagedWindows, 0o644},
		{"claude-code/" + ClaudeCodeDomain + ".mobileconfig", profile, 0o644},
		{"claude-code/ClaudeCode.reg", Reg(ClaudeCodeRegKey, []Value{{ClaudeCodeRegValue, compact.String()}}), 0o644},
	}, nil
}

// claudeDesktop is Claude Desktop's configuration: a profile, a .reg, and the keys as JSON.
func claudeDesktop(in Input) ([]File, error) {
	values, err := in.Desktop.Values()
	if err != nil {
		return nil, err
	}
	keys := map[string]any{}
	for _, v := range values {
		keys[v.Name] = v.Data
	}
	profile, err := Profile(in.Identifier+".claude-desktop", "Claude Desktop with Amazon Bedrock ("+in.Profile+")",
		"Claude Desktop's third-party inference on Amazon Bedrock through the AWS profile "+in.Profile+", signed in with the company identity provider.",
		Payload{Domain: DesktopDomain, Keys: keys})
	if err != nil {
		return nil, err
	}
	plain, err := json.MarshalIndent(keys, "", "  ")
	if err != nil {
		return nil, err
	}
	return []File{
		{"claude-desktop/" + DesktopDomain + ".mobileconfig", profile, 0o644},
		{"claude-desktop/Claude.reg", Reg(DesktopRegKey, values), 0o644},
		{"claude-desktop/claude-desktop.json", append(plain, '\n'), 0o644},
	}, nil
}
