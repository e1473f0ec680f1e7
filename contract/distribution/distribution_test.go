package distribution

import (
	"strings"
	"testing"
	"time"
)

func TestLatestRoundTripsAndReadsNewerFiles(t *testing.T) {
	l := &Latest{Version: "1.4.0", Profile: "ClaudeCode", PublishedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		Archives: map[string]string{MacOS: PackageKey("ClaudeCode", "1.4.0", "a.tar.gz")}, Sums: PackageKey("ClaudeCode", "1.4.0", SumsFile)}
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	// A field a newer ccwb adds must not stop an older client's upgrade notice.
	newer := strings.Replace(string(data), "{", `{"channel": "beta",`, 1)
	got, err := ParseLatest([]byte(newer))
	if err != nil || got.Version != "1.4.0" || got.Archives[MacOS] != "packages/ClaudeCode/1.4.0/a.tar.gz" {
		t.Fatalf("ParseLatest = %+v, %v", got, err)
	}
	for _, bad := range []string{`{}`, `{"version": "1", "archives": {"linux": "../secret"}}`, `not json`} {
		if _, err := ParseLatest([]byte(bad)); err == nil {
			t.Errorf("ParseLatest(%s) accepted it", bad)
		}
	}
}
