// Command ccwb-setup is run by the package's install.sh and install.ps1 after they copy
// the binaries: it merges the AWS CLI profile and the Claude Code settings into the
// user's files (install) or takes them out again (uninstall). Doing this in Go, not in
// POSIX sh or PowerShell, gives both platforms one tested JSON and INI implementation
// without jq or Python.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"ccwb.dev/client/install"
)

var version = "dev"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ccwb-setup:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || (args[0] != "install" && args[0] != "uninstall" && args[0] != "version") {
		return fmt.Errorf("usage: ccwb-setup install|uninstall [--dir DIR]  (version %s)", version)
	}
	if args[0] == "version" {
		fmt.Println(version)
		return nil
	}
	fs := flag.NewFlagSet("ccwb-setup "+args[0], flag.ContinueOnError)
	exe, _ := os.Executable()
	dir := fs.String("dir", filepath.Dir(exe), "the install directory (default: this binary's directory)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	if args[0] == "uninstall" {
		return install.Uninstall(abs, time.Now(), os.Stderr)
	}
	paths, err := install.UserPaths(os.Getenv)
	if err != nil {
		return err
	}
	plan, err := install.NewPlan(abs, runtime.GOOS, paths)
	if err != nil {
		return err
	}
	return install.Install(plan, time.Now(), os.Stderr)
}
