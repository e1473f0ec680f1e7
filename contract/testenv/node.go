package testenv

import (
	"path/filepath"
	"testing"
)

// npmHint is how to get anything package.json pins.
const npmHint = "run `make setup` (npm ci installs package.json's devDependencies)"

// Node returns the project's Node.js, the one package.json pins (node_modules/.bin/node).
func Node(t testing.TB) string {
	t.Helper()
	return NeedFile(t, filepath.Join(Root(t), "node_modules", ".bin", "node"), "the project's Node.js", npmHint)
}

// NodeModule returns the directory of an npm package that package.json pins, e.g.
// "@duckdb/node-api".
func NodeModule(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(Root(t), "node_modules", filepath.FromSlash(name))
	NeedFile(t, filepath.Join(dir, "package.json"), "the npm package "+name, npmHint)
	return dir
}

// NodeBin returns a command an npm package of package.json installs, e.g. "claude".
func NodeBin(t testing.TB, name, what string) string {
	t.Helper()
	return NeedFile(t, filepath.Join(Root(t), "node_modules", ".bin", name), what, npmHint)
}
