// Command invocation-logging is the custom resource that sets up (or joins) a Region's
// Bedrock model invocation logging (provided.al2023, arm64).
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"

	"ccwb.dev/lambda/quota/logging"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatalf("load AWS configuration: %v", err)
	}
	r := &logging.Resource{Bedrock: bedrock.NewFromConfig(cfg)}
	lambda.Start(cfn.LambdaWrap(r.Handle))
}
