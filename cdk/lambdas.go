package main

import (
	"path"
	"path/filepath"

	"ccwb.dev/constructs/function/lambdabuild"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

// built remembers, per cloud assembly directory and package, that a Lambda is built.
var built = map[string]string{}

// buildLambda builds the Lambda main package pkg for linux/arm64 into the cloud assembly
// directory, once per app, to be staged as an asset: offline, no Docker, the same bytes for
// the same code.
func buildLambda(app awscdk.App, pkg string) string {
	out := *app.Outdir()
	if dir, ok := built[out+"|"+pkg]; ok {
		return dir
	}
	dir := filepath.Join(out, ".ccwb-build", path.Base(pkg))
	if err := lambdabuild.Build(pkg, dir); err != nil {
		panic(err.Error())
	}
	built[out+"|"+pkg] = dir
	return dir
}

// lambdaCode is the asset of a built Lambda.
func lambdaCode(app awscdk.App, pkg string) awslambda.Code {
	return awslambda.Code_FromAsset(jsii.String(buildLambda(app, pkg)), nil)
}
