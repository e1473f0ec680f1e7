// Command cdk is the ccwb CDK app (cdk.json runs it with `go run ./cdk`): it reads the
// deployment settings named by the context key ccwb:settings and synthesizes every stack
// of that deployment, checked by cdk-nag.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	app := awscdk.NewApp(nil)
	d, err := loadSettings(app)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		jsii.Close()
		os.Exit(1)
	}
	composeStacks(app, d)
	applyChecks(app)
	app.Synth(nil)
	jsii.Close()
}
