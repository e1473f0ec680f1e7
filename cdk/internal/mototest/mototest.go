// Package mototest points the AWS SDK at moto (https://github.com/getmoto/moto), the local
// emulation of AWS APIs that contract/testenv starts: real endpoints on loopback (IAM,
// Bedrock, CloudWatch Logs, CloudFormation, ...) that the SDK talks to as it would to AWS.
package mototest

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Account is the account moto acts as.
const Account = "123456789012"

// IAM is an IAM client of the moto server at url (from testenv.Moto), with moto's throwaway
// credentials.
func IAM(url string) *iam.Client {
	return iam.NewFromConfig(Config(url, "us-east-1"))
}

// Config is an SDK configuration whose every service client talks to the moto server at
// url, in region, with moto's throwaway credentials.
func Config(url, region string) aws.Config {
	return aws.Config{
		Region: region, BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	}
}

// Reset empties every service of the moto server at url, for a test's next case.
func Reset(t testing.TB, url string) {
	t.Helper()
	resp, err := http.Post(url+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset moto: %s", resp.Status)
	}
}
