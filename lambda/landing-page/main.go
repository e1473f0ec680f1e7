// Command landing-page is the landing page's Lambda function (lambda/landing), deployed by
// the distribution stack behind the load balancer's OIDC sign-in.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"ccwb.dev/lambda/landing"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "load the AWS configuration:", err)
		os.Exit(1)
	}
	h := &landing.Handler{
		Verifier: &landing.Verifier{Signer: os.Getenv(landing.EnvSigner), ClientID: os.Getenv(landing.EnvClientID), KeysURL: landing.KeyURL(cfg.Region)},
		Store:    &landing.Bucket{Name: os.Getenv(landing.EnvBucket), Client: s3.NewFromConfig(cfg)},
		Log:      os.Stdout,
	}
	lambda.Start(h.Serve)
}
