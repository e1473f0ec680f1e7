package packager

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
)

//go:embed templates
var templateFS embed.FS

var templates = template.Must(template.New("").Option("missingkey=error").ParseFS(templateFS, "templates/*"))

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
	}{{"install.sh", 0o755, false}, {"install.ps1", 0o644, true}, {"install.bat", 0o644, true}, {"README.md", 0o644, false}} {
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
