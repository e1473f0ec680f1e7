package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/cobra"

	"ccwb.dev/cdk/internal/distribute"
	"ccwb.dev/cdk/internal/stackoutputs"
	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
)

func (a *app) distributeCmd() *cobra.Command {
	var (
		pkgDir, dist string
		expires      time.Duration
		publish      bool
	)
	cmd := &cobra.Command{
		Use:   "distribute",
		Short: "Upload a package to the distribution bucket and print download links that expire",
		Long: `distribute uploads a package built with ` + "`ccwb package --archive`" + ` (default: the newest under
dist/<profile>/) to the distribution stack's private bucket, under
packages/<profile>/<version>/, and prints a presigned download link for each archive on
stdout (tab-separated: file name, link). --publish also writes latest.json: the landing page
then offers this package, and installed clients mention it once a day.

Links expire after --expires (at most 168h, S3's limit for presigned links), and sooner if
the AWS credentials that sign them are temporary: then use a shorter --expires, an IAM
user's keys, or the landing page. S3 logs a link's downloads under the signer, not the
user: the landing page logs each download with the signed-in user.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := a.load()
			if err != nil {
				return err
			}
			bucket, region, landing, err := a.distributionBucket(d)
			if err != nil {
				return err
			}
			if pkgDir == "" {
				if pkgDir, err = newestPackage(filepath.Join(a.abs(dist), d.Client.ProfileName)); err != nil {
					return fmt.Errorf("%w (ccwb distribute needs one built with --archive)", err)
				}
			}
			p, err := distribute.Open(pkgDir)
			if err != nil {
				return err
			}
			cfg, err := awsConfig(cmd.Context(), region)
			if err != nil {
				return err
			}
			creds, err := cfg.Credentials.Retrieve(cmd.Context())
			if err != nil {
				return fmt.Errorf("AWS credentials to upload with: %w", err)
			}
			if err := distribute.CheckExpiry(expires, creds, time.Now()); err != nil {
				return err
			}
			b := &distribute.Bucket{Client: s3.NewFromConfig(cfg), Name: bucket, Owner: d.Account}
			return a.distribute(cmd, b, p, expires, publish, landing)
		},
	}
	f := cmd.Flags()
	f.StringVar(&pkgDir, "package", "", "the package directory (default: the newest under --dist/<profile>/)")
	f.StringVar(&dist, "dist", defaultDist, "where ccwb package wrote packages, relative to the project")
	f.DurationVar(&expires, "expires", distribute.DefaultExpiry, "how long the printed links work (at most 168h)")
	f.BoolVar(&publish, "publish", false, "also write latest.json: the landing page and the upgrade notice then offer this package")
	return cmd
}

// distribute uploads, optionally publishes, and prints the links.
func (a *app) distribute(cmd *cobra.Command, b *distribute.Bucket, p *distribute.Package, expires time.Duration, publish bool, landing string) error {
	if _, err := os.Stat(filepath.Join(p.Dir, distribution.UnsignedFile)); err == nil {
		fmt.Fprintf(a.stderr, "warning: %s is UNSIGNED (built without --sign): users' installers will say so\n", p.Dir)
	}
	up, err := b.Upload(cmd.Context(), p, a.stderr)
	if err != nil {
		return err
	}
	if publish {
		l := &distribution.Latest{Version: p.Version, Profile: p.Profile, PublishedAt: time.Now().UTC().Truncate(time.Second),
			LandingURL: landing, Archives: up.Archives, Sums: up.Sums, SignerFingerprint: fingerprint(p.Dir)}
		if err := b.Publish(cmd.Context(), l); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "published %s %s as s3://%s/%s\n", p.Profile, p.Version, b.Name, distribution.LatestKey)
	}
	keys := []string{up.Archives[distribution.Linux], up.Archives[distribution.Windows], up.Sums}
	for _, key := range keys {
		link, err := b.Link(cmd.Context(), key, expires)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%s\t%s\n", filepath.Base(key), link)
	}
	fmt.Fprintf(a.stderr, "the links work until %s (macOS and Linux: the .tar.gz; Windows: the .zip)\n", time.Now().Add(expires).UTC().Format(time.RFC3339))
	if landing != "" {
		fmt.Fprintf(a.stderr, "the landing page: %s\n", landing)
	}
	return nil
}

// distributionBucket reads the distribution stack's outputs.
func (a *app) distributionBucket(d *settings.Deployment) (bucket, region, landing string, err error) {
	if !d.Distribution.Enabled {
		return "", "", "", fmt.Errorf("distribution.enabled is false in %s: turn it on and run `ccwb deploy`", a.settingsPath)
	}
	outs, err := stackoutputs.Read(a.abs(a.outputsPath))
	if err != nil {
		return "", "", "", err
	}
	name := d.StackName(stacks.Distribution)
	st := outs[name]
	if st[outputs.DistributionBucket] == "" {
		return "", "", "", fmt.Errorf("%s has no %s output of %s: deploy it with `ccwb deploy`", a.outputsPath, outputs.DistributionBucket, name)
	}
	region = st[outputs.DistributionRegion]
	if region == "" {
		region = d.Region
	}
	return st[outputs.DistributionBucket], region, st[outputs.LandingPageURL], nil
}

// fingerprint is the SHA256 fingerprint of the package's SHA256SUMS signing key ("" unsigned).
func fingerprint(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, distribution.AllowedSignersFile))
	if err != nil {
		return ""
	}
	return distribute.Fingerprint(data)
}
