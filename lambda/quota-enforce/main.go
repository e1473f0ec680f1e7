// Command quota-enforce writes the blocks in force into the deny policies and sends the
// quota notifications (provided.al2023, arm64; reserved concurrency 1).
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"ccwb.dev/lambda/quota/enforce"
	"ccwb.dev/lambda/quota/setup"
)

func main() {
	c, err := setup.Load(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	e := &enforce.Enforcer{Store: c.Store, IAM: iam.NewFromConfig(c.AWS), PolicyARNs: c.Deny, SNS: sns.NewFromConfig(c.AWS),
		TopicARN: c.Topic, Deployment: c.Name, Now: setup.Now, Metrics: os.Stdout}
	lambda.Start(e.Handle)
}
