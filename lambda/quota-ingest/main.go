// Command quota-ingest is the quota consumer (provided.al2023, arm64): the CloudWatch Logs
// subscription of a Region's Bedrock invocation log group.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"ccwb.dev/lambda/quota/setup"
)

func main() {
	c, err := setup.Load(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(c.Ingest().Handle)
}
