package landing

import (
	"context"
	"fmt"
	"io"
	"mime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"ccwb.dev/contract/distribution"
)

// Bucket is the Store of a distribution bucket, through the AWS SDK.
type Bucket struct {
	Name   string
	Client *s3.Client
}

// Latest reads latest.json.
func (b *Bucket) Latest(ctx context.Context) (*distribution.Latest, error) {
	out, err := b.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.Name), Key: aws.String(distribution.LatestKey)})
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", b.Name, distribution.LatestKey, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", b.Name, distribution.LatestKey, err)
	}
	return distribution.ParseLatest(data)
}

// Presign returns a presigned GET link that saves the object as fileName.
func (b *Bucket) Presign(ctx context.Context, key, fileName string, lifetime time.Duration) (string, error) {
	req, err := s3.NewPresignClient(b.Client).PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(b.Name), Key: aws.String(key),
		ResponseContentDisposition: aws.String(mime.FormatMediaType("attachment", map[string]string{"filename": fileName})),
	}, s3.WithPresignExpires(lifetime))
	if err != nil {
		return "", err
	}
	return req.URL, nil
}
