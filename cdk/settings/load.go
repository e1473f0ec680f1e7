package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"ccwb.dev/contract/project"
	"ccwb.dev/contract/strictjson"
)

// ContextKey is the CDK context key naming the settings file, relative to the directory
// holding cdk.json (`npx cdk synth -c ccwb:settings=settings/prod.json`).
const ContextKey = "ccwb:settings"

// Load reads a settings file, applies the defaults and validates it. A validation
// failure is a *ValidationError naming every problem.
func Load(path string) (*Deployment, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read settings: %s does not exist; create it with `ccwb init`, or select another file with -c %s=<file>", path, ContextKey)
	}
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	d, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// Parse decodes settings JSON (unknown fields are errors: they are usually typos),
// applies the defaults and validates the result.
func Parse(data []byte) (*Deployment, error) {
	var d Deployment
	if err := strictjson.Unmarshal(data, &d); errors.Is(err, strictjson.ErrTrailingData) {
		return nil, fmt.Errorf("parse settings: %w; the file must hold one object", err)
	} else if err != nil {
		return nil, fmt.Errorf("parse settings: %w; fix the JSON (field names are in docs/platform/settings.md)", err)
	}
	d.ApplyDefaults()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Marshal returns the settings as indented JSON, as Write stores them.
func (d *Deployment) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode settings: %w", err)
	}
	return append(data, '\n'), nil
}

// Write validates d and stores it at path atomically (a temporary file renamed over
// the target), so a reader never sees half a file. It does not apply defaults: what the
// user left out stays out, and keeps following the defaults.
func Write(path string, d *Deployment) error {
	check := *d
	check.ApplyDefaults()
	if err := check.Validate(); err != nil {
		return err
	}
	data, err := d.Marshal()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".settings-*.json")
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write settings %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write settings %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write settings %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write settings %s: %w", path, err)
	}
	return nil
}

// ResolvePath turns the settings path from CDK context into a file path: absolute paths
// stay, relative ones are taken from the project root (the nearest directory at or
// above dir that holds cdk.json), so `go test ./cdk` and `npx cdk synth` agree.
func ResolvePath(dir, path string) (string, error) {
	if path == "" {
		return "", fmt.Errorf("no settings file: set the CDK context %s (cdk.json, or -c %s=<file>)", ContextKey, ContextKey)
	}
	if filepath.IsAbs(path) {
		return path, nil
	}
	root, err := project.Root(dir)
	if err != nil {
		return "", fmt.Errorf("resolve settings path %s: %w; run from the ccwb project", path, err)
	}
	return filepath.Join(root, path), nil
}
