// Package distribution is the CDK construct of a deployment's distribution: a private
// bucket of end-user packages that `ccwb distribute` uploads to and hands out presigned
// links from, the one-object grant behind the upgrade notice, and optionally the landing
// page (landing.go).
package distribution

import (
	"ccwb.dev/constructs/monitoring"
	contract "ccwb.dev/contract/distribution"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Bucket encryptions.
const (
	EncryptionS3  = "s3"  // SSE-S3, S3's own keys
	EncryptionKMS = "kms" // a customer-managed KMS key, rotated yearly
)

// DistributionProps configure the bucket. Zero values take the defaults documented per field.
// DefaultNoncurrentRetentionDays is how long a replaced object's old versions stay.
const DefaultNoncurrentRetentionDays = 90

type DistributionProps struct {
	// Encryption is EncryptionS3 (default) or EncryptionKMS.
	Encryption string
	// NoncurrentRetentionDays keeps replaced object versions this long (default
	// DefaultNoncurrentRetentionDays).
	NoncurrentRetentionDays int
	// LogRetentionDays keeps the bucket's server access logs this long (default 30).
	LogRetentionDays int
}

// Distribution is the bucket of packages and its access-log bucket.
type Distribution struct {
	constructs.Construct
	// Bucket holds packages/<profile>/<version>/... and latest.json: private, TLS only,
	// versioned, encrypted, access-logged.
	Bucket awss3.Bucket
	// AccessLogs receives Bucket's server access logs (and the landing page's load
	// balancer's access logs).
	AccessLogs awss3.Bucket
	// Key encrypts Bucket with EncryptionKMS; nil with EncryptionS3.
	Key awskms.Key
}

// NewDistribution creates the bucket.
func NewDistribution(scope constructs.Construct, id string, p *DistributionProps) *Distribution {
	d := &Distribution{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	retention := p.LogRetentionDays
	if retention == 0 {
		retention = monitoring.DefaultLogRetentionDays
	}
	noncurrent := p.NoncurrentRetentionDays
	if noncurrent == 0 {
		noncurrent = DefaultNoncurrentRetentionDays
	}
	d.AccessLogs = monitoring.NewAccessLogBucket(d.Construct, "AccessLogs", retention, "access logs")
	props := &awss3.BucketProps{
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:             jsii.Bool(true),
		Versioned:              jsii.Bool(true),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		ServerAccessLogsBucket: d.AccessLogs,
		ServerAccessLogsPrefix: jsii.String("s3/"),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			NoncurrentVersionExpiration:         awscdk.Duration_Days(jsii.Number(float64(noncurrent))),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
		}},
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	}
	if p.Encryption == EncryptionKMS {
		d.Key = awskms.NewKey(d.Construct, jsii.String("Key"), &awskms.KeyProps{
			Description:       jsii.String("ccwb distribution bucket: end-user packages"),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		})
		props.Encryption, props.EncryptionKey, props.BucketKeyEnabled = awss3.BucketEncryption_KMS, d.Key, jsii.Bool(true)
	}
	d.Bucket = awss3.NewBucket(d.Construct, jsii.String("Bucket"), props)
	return d
}

// GrantLatestRead lets role read latest.json of the bucket and nothing else (the upgrade
// notice of the credential process): one statement on one object ARN, in a policy of this
// construct's stack attached to role, so the role's own stack does not depend on this one.
// With a KMS key, the role may decrypt through S3 for that object only.
func (d *Distribution) GrantLatestRead(role awsiam.IRole) awsiam.Policy {
	statements := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ReadLatestPackageRecord"),
		Actions:   jsii.Strings("s3:GetObject"),
		Resources: &[]*string{d.Bucket.ArnForObjects(jsii.String(contract.LatestKey))},
	})}
	if d.Key != nil {
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("DecryptLatestPackageRecord"),
			Actions:   jsii.Strings("kms:Decrypt"),
			Resources: &[]*string{d.Key.KeyArn()},
			Conditions: &map[string]any{
				"StringEquals": map[string]any{
					"kms:ViaService": awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("s3."), awscdk.Aws_REGION(), jsii.String(".amazonaws.com")}),
					// With an S3 Bucket Key, S3 names the bucket in the encryption context, not the
					// object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key.html).
					"kms:EncryptionContext:aws:s3:arn": d.Bucket.BucketArn(),
				},
			},
		}))
	}
	return awsiam.NewPolicy(d.Construct, jsii.String("LatestReader"), &awsiam.PolicyProps{
		Roles:      &[]awsiam.IRole{role},
		Statements: &statements,
	})
}
