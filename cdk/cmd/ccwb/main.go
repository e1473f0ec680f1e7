// Command ccwb is the administrator's tool for Claude Code with Amazon Bedrock: it writes
// the deployment settings (init), deploys and inspects the stacks (deploy, destroy,
// status), builds the end-user package (package) and checks it (test).
package main

import (
	"context"
	"os"
	"os/signal"

	"ccwb.dev/cdk/internal/cli"
)

// version is stamped at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Execute(ctx, version)
	stop()
	os.Exit(code)
}
