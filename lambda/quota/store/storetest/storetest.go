// Package storetest gives tests a quota store on a local DynamoDB: moto in server mode
// (contract/testenv.Moto), with the two tables keyed as the quota construct creates them.
package storetest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ccwb.dev/contract/quota"
	"ccwb.dev/contract/testenv"
	"ccwb.dev/lambda/quota/store"
)

// Region of the moto clients.
const Region = "us-east-1"

// Options are static credentials for moto and its endpoint.
func Options(url string) (aws.CredentialsProvider, string) {
	return credentials.NewStaticCredentialsProvider("testing", "testing", ""), url
}

// New starts moto, creates the quota tables of deployment "test" and returns a store on
// them, with moto's URL for other clients.
func New(t testing.TB) (*store.Store, string) {
	t.Helper()
	url := testenv.Moto(t)
	db := dynamodb.New(dynamodb.Options{Region: Region, BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	s := &store.Store{DB: db, Table: quota.TableName("test"), Ledger: quota.LedgerTableName("test")}
	Create(t, s)
	return s, url
}

// Create makes the store's two tables on its DynamoDB.
func Create(t testing.TB, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, tbl := range []struct {
		name string
		keys []string
	}{{s.Table, []string{quota.AttrPK, quota.AttrSK}}, {s.Ledger, []string{quota.AttrPK}}} {
		in := &dynamodb.CreateTableInput{TableName: aws.String(tbl.name), BillingMode: types.BillingModePayPerRequest}
		for i, k := range tbl.keys {
			kt := types.KeyTypeHash
			if i == 1 {
				kt = types.KeyTypeRange
			}
			in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String(k), KeyType: kt})
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(k), AttributeType: types.ScalarAttributeTypeS})
		}
		if _, err := s.DB.CreateTable(ctx, in); err != nil {
			t.Fatalf("create table %s on moto: %v", tbl.name, err)
		}
	}
}
