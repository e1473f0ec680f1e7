// Command metrics-transform is the Firehose transformation Lambda of the analytics
// pipeline (provided.al2023, arm64): CloudWatch Logs EMF records in, analytics rows out.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/firehose"

	"ccwb.dev/lambda/transform"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatalf("load AWS configuration: %v", err)
	}
	h := &transform.Handler{Reingest: transform.FirehoseReingester{Client: firehose.NewFromConfig(cfg)}}
	lambda.Start(h.Handle)
}
