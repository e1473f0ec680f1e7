package doctor

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"ccwb.dev/client/internal/atomicfile"
	report "ccwb.dev/contract/doctor"
)

// WriteBundle writes a support bundle to path: a zip of report.json, version.txt and files
// (name → content), each passed through the Redactor; JSON files keep their structure. The
// file is written to a temporary file beside path, mode 0600, and renamed into place.
func WriteBundle(path string, r report.Report, files map[string][]byte, red Redactor) error {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	rep, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	entries := map[string][]byte{
		"report.json": rep,
		"version.txt": fmt.Appendf(nil, "%s %s\n%s/%s %s\n", r.Tool, r.Version, r.OS, r.Arch, runtime.Version()),
	}
	for name, data := range files {
		entries[name] = data
	}
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		data := entries[name]
		if strings.HasSuffix(name, ".json") {
			data = red.JSON(data)
		} else {
			data = []byte(red.Text(string(data)))
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: r.Time})
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			return fmt.Errorf("write %s into the bundle: %w", name, err)
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write the support bundle: %w", err)
	}
	return nil
}
