package main

import (
	"path"
	"path/filepath"

	"ccwb.dev/constructs/analytics/lambdabuild"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// builtFunctions remembers, per cloud assembly directory and package, the built function.
var builtFunctions = map[[2]string]string{}

// buildFunction builds the Lambda main package pkg for linux/arm64 into the cloud assembly
// directory, once per app, to be staged as an asset: offline, no Docker, the same bytes for
// the same code.
func buildFunction(app awscdk.App, pkg string) string {
	out := *app.Outdir()
	if dir, ok := builtFunctions[[2]string{out, pkg}]; ok {
		return dir
	}
	dir := filepath.Join(out, ".ccwb-build", path.Base(pkg))
	if err := lambdabuild.Build(pkg, dir); err != nil {
		panic(err.Error())
	}
	builtFunctions[[2]string{out, pkg}] = dir
	return dir
}
