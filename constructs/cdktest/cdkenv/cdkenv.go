// Package cdkenv prepares the environment of the jsii runtime before it exists. jsii-go
// creates its Node process (and snapshots the environment for it) while the CDK packages
// register their types, in their init functions: earlier than TestMain. Go initializes
// packages in import-path order when it can (Go ≥ 1.21), and this package needs only
// the standard library and ccwb.dev/contract/project (itself standard library only), so
// its init runs before any github.com/aws/... package's.
//
// It points jsii at the project's Node 22 (node_modules/.bin/node), keeps the jsii
// package cache and CDK's fingerprint cache (~/.cdk) inside the project's .cache, and
// turns off deprecated APIs, telemetry and version checks — unless set already. Import
// it for its side effect only through package cdktest.
package cdkenv

import (
	"os"
	"path/filepath"
	"strings"

	"ccwb.dev/contract/project"
)

// Home is the user's HOME as it was before init redirected it for the jsii process;
// cdktest.Main restores it so the tests themselves (and cfn-lint) see the real one.
var Home, homeSet = os.LookupEnv("HOME")

func init() {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	if root, err := project.Root(wd); err == nil {
		bin := filepath.Join(root, "node_modules", ".bin")
		if node := filepath.Join(bin, "node"); exists(node) {
			setDefault("JSII_NODE", node)
			if !strings.HasPrefix(os.Getenv("PATH"), bin+string(os.PathListSeparator)) {
				os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			}
		}
		setDefault("JSII_RUNTIME_PACKAGE_CACHE_ROOT", filepath.Join(root, ".cache", "jsii"))
		// aws-cdk-lib caches asset fingerprints under os.homedir()/.cdk.
		home := filepath.Join(root, ".cache", "cdk-home")
		if os.MkdirAll(home, 0o755) == nil {
			os.Setenv("HOME", home)
		}
	}
	setDefault("JSII_DEPRECATED", "fail")
	setDefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
	setDefault("CDK_DISABLE_CLI_TELEMETRY", "1")
	setDefault("CDK_DISABLE_VERSION_CHECK", "1")
}

// RestoreHome puts the user's HOME back once the jsii process has its environment.
func RestoreHome() {
	if homeSet {
		os.Setenv("HOME", Home)
	} else {
		os.Unsetenv("HOME")
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func setDefault(key, value string) {
	if os.Getenv(key) == "" {
		os.Setenv(key, value)
	}
}
