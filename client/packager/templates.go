package packager

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"

	"ccwb.dev/client/install"
	"ccwb.dev/client/internal/profile"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
)

//go:embed templates
var templateFS embed.FS

var templates = template.Must(template.New("").Option("missingkey=error").Funcs(template.FuncMap{
	"join":   strings.Join,
	"psList": psList,
}).ParseFS(templateFS, "templates/*"))

// readmeFile is the package's README, rendered from the template of that name.
const readmeFile = "README.md"

// templateData is what the installers and the README are rendered from.
type templateData struct {
	Profile    string
	Config     config.Profile
	Claude     Claude
	Monitoring bool
	OtelHelper bool
	// Signed says the binaries and SHA256SUMS are signed; Thumbprint is the Authenticode
	// certificate's, which install.ps1 requires of every executable.
	Signed     bool
	Thumbprint string
}

func (d templateData) MacPlatform() string { return PlatformMac }

// Platform is the bin/ directory of a target of the package; a target the package does not
// build is an error, so that an installer never looks for a build that is not there.
func (d templateData) Platform(goos, goarch string) (string, error) {
	for _, t := range Targets {
		if t.GOOS == goos && t.GOARCH == goarch {
			return t.String(), nil
		}
	}
	return "", fmt.Errorf("the package builds no %s/%s", goos, goarch)
}

// The names the installers copy, check and record, each from its one definition.
func (d templateData) InstallDir() string         { return profile.ConfigDirName }
func (d templateData) Commands() []string         { return slices.Concat(RequiredCommands, OptionalCommands) }
func (d templateData) CredentialProcess() string  { return install.CredentialProcessName }
func (d templateData) Setup() string              { return install.SetupName }
func (d templateData) StateFile() string          { return install.StateFile }
func (d templateData) SumsFile() string           { return distribution.SumsFile }
func (d templateData) SumsSignatureFile() string  { return distribution.SumsSignatureFile }
func (d templateData) AllowedSignersFile() string { return distribution.AllowedSignersFile }
func (d templateData) UnsignedFile() string       { return distribution.UnsignedFile }

// DataFiles are the files beside the binaries that the installers copy.
func (d templateData) DataFiles() []string {
	return []string{config.FileName, install.ClaudeSettingsFile, readmeFile, distribution.VersionFile}
}

// psList is names as the items of a PowerShell array, each with suffix: 'a.exe', 'b.exe'.
func psList(names []string, suffix string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "'" + n + suffix + "'"
	}
	return strings.Join(quoted, ", ")
}

// SignerIdentity and SumsNamespace are what ssh-keygen -Y verify checks SHA256SUMS.sig for.
func (d templateData) SignerIdentity() string { return distribution.SignerIdentity }
func (d templateData) SumsNamespace() string  { return distribution.SumsNamespace }

func (d templateData) Region() string {
	if d.Claude.Region != "" {
		return d.Claude.Region
	}
	return d.Config.Region
}

func (d templateData) SessionHours() string {
	return fmt.Sprintf("%g", float64(d.Config.SessionDurationSeconds)/3600)
}

func (d templateData) Port() int { return d.Config.Port() }

// render returns the installers and the README. Windows scripts get CRLF line ends.
func render(d templateData) ([]file, error) {
	out := []file{}
	for _, t := range []struct {
		name string
		mode uint32
		crlf bool
	}{{"install.sh", 0o755, false}, {"install.ps1", 0o644, true}, {"install.bat", 0o644, true}, {readmeFile, 0o644, false}} {
		var buf bytes.Buffer
		if err := templates.ExecuteTemplate(&buf, t.name, d); err != nil {
			return nil, fmt.Errorf("package: render %s: %w", t.name, err)
		}
		data := buf.Bytes()
		if t.crlf {
			data = []byte(strings.ReplaceAll(buf.String(), "\n", "\r\n"))
		}
		out = append(out, file{t.name, data, fs.FileMode(t.mode)})
	}
	return out, nil
}
