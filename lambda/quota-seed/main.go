// Command quota-seed is the custom resource that writes the settings' quota policies into
// the quota table at each deploy (provided.al2023, arm64).
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"

	"ccwb.dev/lambda/quota/seed"
	"ccwb.dev/lambda/quota/setup"
)

func main() {
	c, err := setup.Load(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	r := &seed.Resource{Store: c.Store, Now: setup.Now}
	lambda.Start(cfn.LambdaWrap(r.Handle))
}
