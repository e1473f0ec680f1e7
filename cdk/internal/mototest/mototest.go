// Package mototest points the AWS SDK at moto (https://github.com/getmoto/moto), the local
// emulation of AWS APIs that contract/testenv starts: a real IAM endpoint on loopback that
// the SDK talks to as it would to AWS.
package mototest

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// IAM is an IAM client of the moto server at url (from testenv.Moto), with moto's throwaway
// credentials.
func IAM(url string) *iam.Client {
	return iam.New(iam.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
}
