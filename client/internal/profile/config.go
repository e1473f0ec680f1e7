package profile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"ccwb.dev/contract/config"
)

// ConfigDirName is the folder in the user's home that holds config.json.
const ConfigDirName = "claude-code-with-bedrock"

// ConfigPaths lists where config.json is looked for, in order: beside the binary, then
// ~/claude-code-with-bedrock/.
func ConfigPaths() []string {
	var paths []string
	if exe, err := os.Executable(); err == nil {
		paths = append(paths, filepath.Join(filepath.Dir(exe), config.FileName))
	}
	if home, err := os.UserHomeDir(); err == nil {
		paths = append(paths, filepath.Join(home, ConfigDirName, config.FileName))
	}
	return paths
}

// LoadConfig reads the first config.json of ConfigPaths.
func LoadConfig() (*config.File, string, error) {
	paths := ConfigPaths()
	for _, p := range paths {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, p, fmt.Errorf("open config %s: %w", p, err)
		}
		defer f.Close()
		cfg, err := config.Parse(f)
		if err != nil {
			return nil, p, fmt.Errorf("config %s: %w\nAsk your administrator for a fresh package, or fix the file", p, err)
		}
		return cfg, p, nil
	}
	return nil, "", fmt.Errorf("no config.json found (looked in %s): install the package your administrator gave you", strings.Join(paths, " and "))
}

// CacheRoot is the directory of session files and lock files: <user cache dir>/ccwb.
func CacheRoot() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache directory: %w", err)
	}
	return filepath.Join(dir, "ccwb"), nil
}
