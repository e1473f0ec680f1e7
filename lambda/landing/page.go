package landing

import (
	"bytes"
	_ "embed"
	"html/template"
	"regexp"
	"time"

	"ccwb.dev/contract/distribution"
)

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Option("missingkey=error").Parse(pageHTML))

// platformInfo is how the page offers one platform's download.
type platformInfo struct {
	ID, Name, File, Href, Install string
	Default                       bool
}

var platformNames = map[string]string{distribution.MacOS: "macOS", distribution.Linux: "Linux", distribution.Windows: "Windows"}

var (
	macUA     = regexp.MustCompile(`(?i)mac os|macintosh`)
	windowsUA = regexp.MustCompile(`(?i)windows`)
)

// guess is the platform a User-Agent names (the page refines it with the browser's own
// hints); Linux when it names none.
func guess(userAgent string) string {
	switch {
	case macUA.MatchString(userAgent):
		return distribution.MacOS
	case windowsUA.MatchString(userAgent):
		return distribution.Windows
	}
	return distribution.Linux
}

// DownloadName is the file name a download of the platform's archive is saved under.
func DownloadName(l *distribution.Latest, platform string) string {
	ext := distribution.TarGzExt
	if platform == distribution.Windows {
		ext = distribution.ZipExt
	}
	return distribution.ArchiveName(l.Profile, l.Version, ext)
}

func installCommand(l *distribution.Latest, platform string) string {
	file, dir := DownloadName(l, platform), distribution.ArchiveFolder(l.Profile)
	if platform == distribution.Windows {
		return "Expand-Archive " + file + " -DestinationPath .\r\n.\\" + dir + "\\install.bat"
	}
	return "tar -xzf " + file + "\n./" + dir + "/install.sh"
}

// renderPage is the download page for user, the platform of userAgent shown first.
func renderPage(l *distribution.Latest, user User, userAgent string) ([]byte, error) {
	detected := guess(userAgent)
	data := struct {
		User, Version, Published, Fingerprint string
		Platforms                             []platformInfo
	}{User: user.display(), Version: l.Version, Published: l.PublishedAt.UTC().Format(time.DateOnly), Fingerprint: l.SignerFingerprint}
	for _, p := range distribution.Platforms {
		if _, ok := l.Archives[p]; !ok {
			continue
		}
		data.Platforms = append(data.Platforms, platformInfo{
			ID: p, Name: platformNames[p], File: DownloadName(l, p), Href: "/download/" + p,
			Install: installCommand(l, p), Default: p == detected,
		})
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (u User) display() string {
	if u.Email != "" {
		return u.Email
	}
	return u.Subject
}
