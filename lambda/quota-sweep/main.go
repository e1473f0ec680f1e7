// Command quota-sweep re-reads a Region's invocation log group hourly and counts what the
// consumer missed (provided.al2023, arm64).
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"ccwb.dev/lambda/quota/setup"
	"ccwb.dev/lambda/quota/sweep"
)

func main() {
	c, err := setup.Load(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	s := &sweep.Sweeper{Logs: cloudwatchlogs.NewFromConfig(c.AWS), LogGroup: c.LogGroup, Region: c.AWS.Region, Ingest: c.Ingest(), Now: setup.Now, Metrics: os.Stdout}
	lambda.Start(func(ctx context.Context) error {
		_, err := s.Sweep(ctx)
		return err
	})
}
