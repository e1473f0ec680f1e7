// Command quota-check is the quota check service behind the HTTP API and its JWT authorizer
// (provided.al2023, arm64).
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"ccwb.dev/lambda/quota/check"
	"ccwb.dev/lambda/quota/setup"
	"ccwb.dev/lambda/quota/store"
)

func main() {
	c, err := setup.Load(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	s := &check.Service{Store: c.Store, Policies: &store.PolicyCache{Store: c.Store}, UnknownGroups: c.Unknown,
		GroupsClaim: c.Groups, Location: c.Counter.Location, Now: setup.Now}
	lambda.Start(s.Handle)
}
