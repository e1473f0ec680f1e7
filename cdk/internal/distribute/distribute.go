// Package distribute puts a built package into the deployment's distribution bucket: its
// archives, SHA256SUMS and its signature under packages/<profile>/<version>/, links that
// expire, and latest.json when the package is published (`ccwb distribute`).
package distribute

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"ccwb.dev/contract/config"
	"ccwb.dev/contract/distribution"
)

// MaxExpiry is the longest a presigned link can live: SigV4 query signing caps
// X-Amz-Expires at 604800 seconds
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html).
const MaxExpiry = 7 * 24 * time.Hour

// DefaultExpiry is how long `ccwb distribute` links live unless told otherwise.
const DefaultExpiry = 72 * time.Hour

// Package is a package directory ccwb package --archive wrote, as it is uploaded.
type Package struct {
	Dir, Profile, Version string
	// TarGz and Zip are <Dir>.tar.gz and <Dir>.zip.
	TarGz, Zip string
}

// Open reads a package directory: its VERSION, its profile (config.json's default) and its
// archives beside it.
func Open(dir string) (*Package, error) {
	dir = filepath.Clean(dir)
	v, err := os.ReadFile(filepath.Join(dir, distribution.VersionFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: is it a package directory (dist/<profile>/<time>/) built by this ccwb? rebuild it with `ccwb package --archive`", dir, distribution.VersionFile)
	}
	if err != nil {
		return nil, fmt.Errorf("read the package: %w", err)
	}
	f, err := os.Open(filepath.Join(dir, config.FileName))
	if err != nil {
		return nil, fmt.Errorf("read the package: %w", err)
	}
	defer f.Close()
	cfg, err := config.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	profile, _, err := cfg.Profile("")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	p := &Package{Dir: dir, Profile: profile, Version: strings.TrimSpace(string(v)), TarGz: dir + distribution.TarGzExt, Zip: dir + distribution.ZipExt}
	for _, a := range []string{p.TarGz, p.Zip} {
		if _, err := os.Stat(a); err != nil {
			return nil, fmt.Errorf("%s is missing: build the package with `ccwb package --archive`", a)
		}
	}
	return p, nil
}

// Uploaded are the keys of one uploaded package.
type Uploaded struct {
	// Archives by platform (distribution.Platforms).
	Archives map[string]string
	// Sums is the key of SHA256SUMS; Files every key uploaded, in order.
	Sums  string
	Files []string
}

// Bucket is the distribution bucket: where, and whose (ExpectedBucketOwner, so that a
// bucket name someone else took is never written to).
type Bucket struct {
	Client *s3.Client
	Name   string
	// Owner is the deployment's account ID ("" when the settings pin none).
	Owner string
}

// Upload puts the package's archives, SHA256SUMS, its signature and the signers file
// (when signed) under packages/<profile>/<version>/.
func (b *Bucket) Upload(ctx context.Context, p *Package, progress io.Writer) (*Uploaded, error) {
	u := &Uploaded{Archives: map[string]string{}}
	put := func(path, name string) (string, error) {
		key := distribution.PackageKey(p.Profile, p.Version, name)
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("upload %s: %w", path, err)
		}
		defer f.Close()
		fmt.Fprintf(progress, "uploading s3://%s/%s\n", b.Name, key)
		if err := b.put(ctx, key, f, contentType(name)); err != nil {
			return "", err
		}
		u.Files = append(u.Files, key)
		return key, nil
	}
	tgz, err := put(p.TarGz, distribution.ArchiveName(p.Profile, p.Version, distribution.TarGzExt))
	if err != nil {
		return nil, err
	}
	zip, err := put(p.Zip, distribution.ArchiveName(p.Profile, p.Version, distribution.ZipExt))
	if err != nil {
		return nil, err
	}
	u.Archives = map[string]string{distribution.MacOS: tgz, distribution.Linux: tgz, distribution.Windows: zip}
	if u.Sums, err = put(filepath.Join(p.Dir, distribution.SumsFile), distribution.SumsFile); err != nil {
		return nil, err
	}
	for _, name := range []string{distribution.SumsSignatureFile, distribution.AllowedSignersFile} {
		if _, err := os.Stat(filepath.Join(p.Dir, name)); err == nil {
			if _, err := put(filepath.Join(p.Dir, name), name); err != nil {
				return nil, err
			}
		}
	}
	return u, nil
}

// Publish writes latest.json, which the landing page serves and the upgrade notice reads.
func (b *Bucket) Publish(ctx context.Context, l *distribution.Latest) error {
	data, err := l.Marshal()
	if err != nil {
		return err
	}
	return b.put(ctx, distribution.LatestKey, bytes.NewReader(data), "application/json")
}

func (b *Bucket) put(ctx context.Context, key string, body io.ReadSeeker, typ string) error {
	in := &s3.PutObjectInput{Bucket: aws.String(b.Name), Key: aws.String(key), Body: body, ContentType: aws.String(typ)}
	if b.Owner != "" {
		in.ExpectedBucketOwner = aws.String(b.Owner)
	}
	if _, err := b.Client.PutObject(ctx, in); err != nil {
		return fmt.Errorf("upload s3://%s/%s: %w", b.Name, key, err)
	}
	return nil
}

func contentType(name string) string {
	switch {
	case strings.HasSuffix(name, distribution.TarGzExt):
		return "application/gzip"
	case strings.HasSuffix(name, distribution.ZipExt):
		return "application/zip"
	}
	return "text/plain; charset=utf-8"
}

// Link is a presigned download link to key, saved as the key's file name.
func (b *Bucket) Link(ctx context.Context, key string, expires time.Duration) (string, error) {
	req, err := s3.NewPresignClient(b.Client).PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(b.Name), Key: aws.String(key),
		ResponseContentDisposition: aws.String(mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(key)})),
	}, s3.WithPresignExpires(expires))
	if err != nil {
		return "", fmt.Errorf("presign s3://%s/%s: %w", b.Name, key, err)
	}
	return req.URL, nil
}

// CheckExpiry refuses a link lifetime S3 would not honour: not positive, over
// MaxExpiry, or beyond the signing credentials' own expiry (a link signed with temporary
// credentials stops working when they do, whatever its X-Amz-Expires).
func CheckExpiry(expires time.Duration, creds aws.Credentials, now time.Time) error {
	switch {
	case expires <= 0:
		return fmt.Errorf("--expires %s: give a positive duration, e.g. 72h", expires)
	case expires > MaxExpiry:
		return fmt.Errorf("--expires %s is over %s, the longest a presigned link can live (SigV4 allows 7 days)", expires, MaxExpiry)
	case creds.CanExpire && creds.Expires.Before(now.Add(expires)):
		left := creds.Expires.Sub(now).Truncate(time.Minute)
		return fmt.Errorf("--expires %s outlives the AWS credentials that sign the link (temporary, valid for %s more): the link would stop working when they expire. Give --expires %s or less, sign with an IAM user's long-term keys, or send users to the landing page", expires, left, left)
	}
	return nil
}
