// Command quota-ingest is the quota consumer (provided.al2023, arm64): the CloudWatch Logs
// subscription of a Region's Bedrock invocation log group.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"ccwb.dev/lambda/quota/env"
	"ccwb.dev/lambda/quota/ingest"
	"ccwb.dev/lambda/quota/store"
)

func main() {
	c, err := env.Load(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	h := &ingest.Handler{Store: c.Store, Caller: c.Caller, Counter: c.Counter, Policies: &store.PolicyCache{Store: c.Store},
		UnknownGroups: c.Unknown, Deployment: c.Name, Now: env.Now, Metrics: os.Stdout}
	lambda.Start(h.Handle)
}
