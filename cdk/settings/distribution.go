package settings

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"time"

	"ccwb.dev/contract/provider"
)

// Distribution is the optional <name>-distribution stack: a private bucket that `ccwb
// distribute` uploads packages to and hands out presigned links from, and optionally a
// landing page behind the company sign-in (docs/platform/distribution.md).
type Distribution struct {
	Enabled bool `json:"enabled"`
	// Encryption of the bucket: "s3" (SSE-S3, the default) or "kms" (a customer-managed
	// key with yearly rotation).
	Encryption string `json:"encryption,omitempty"`
	// NoncurrentRetentionDays keeps a replaced object's old versions this long (default 90).
	NoncurrentRetentionDays int `json:"noncurrent_retention_days,omitempty"`
	// UpgradeCheck is "daily" (default: the credential process reads latest.json once a
	// day, after fresh credentials, and mentions a newer package) or "off".
	UpgradeCheck string `json:"upgrade_check,omitempty"`
	// LandingPage is the download page users sign in to.
	LandingPage LandingPage `json:"landing_page"`
}

// LandingPage is an internet-facing load balancer whose HTTPS listener signs users in with
// the IdP (the load balancer's own authenticate-oidc action, no sign-in code of ours) and
// forwards them to a Lambda function that serves the page and the downloads.
type LandingPage struct {
	Enabled bool `json:"enabled"`
	// DomainName is the name users open; the certificate must cover it, and the IdP
	// client must allow https://<domain_name>/oauth2/idpresponse as a redirect URI.
	DomainName string `json:"domain_name,omitempty"`
	// CertificateARN is the ACM certificate of the HTTPS listener (required: the load
	// balancer authenticates users only on HTTPS listeners).
	CertificateARN string `json:"certificate_arn,omitempty"`
	// HostedZoneID, when set, gets an alias record for DomainName.
	HostedZoneID string `json:"hosted_zone_id,omitempty"`
	// VPCID and SubnetIDs use existing public subnets instead of a new VPC.
	VPCID     string   `json:"vpc_id,omitempty"`
	SubnetIDs []string `json:"subnet_ids,omitempty"`
	// ClientID is a confidential web client registered at the IdP for the landing page
	// (not ccwb's public client), and ClientSecretARN the Secrets Manager secret holding
	// its secret: the settings never hold the secret itself.
	ClientID        string `json:"client_id,omitempty"`
	ClientSecretARN string `json:"client_secret_arn,omitempty"`
	// The IdP's endpoints, as its discovery document (<issuer>/.well-known/openid-configuration)
	// lists them: authorization_endpoint, token_endpoint, userinfo_endpoint.
	AuthorizationEndpoint string `json:"authorization_endpoint,omitempty"`
	TokenEndpoint         string `json:"token_endpoint,omitempty"`
	UserInfoEndpoint      string `json:"userinfo_endpoint,omitempty"`
	// SessionTimeout is how long the load balancer's sign-in cookie lasts (default "1h").
	SessionTimeout string `json:"session_timeout,omitempty"`
	// LogRetentionDays keeps the download log (one line per download, with the user) and the
	// load balancer's access logs this long (default 30).
	LogRetentionDays int `json:"log_retention_days,omitempty"`
}

// Distribution defaults.
const (
	EncryptionS3                   = "s3"
	EncryptionKMS                  = "kms"
	UpgradeCheckDaily              = "daily"
	UpgradeCheckOff                = "off"
	DefaultNoncurrentRetentionDays = 90
	DefaultSessionTimeout          = "1h"
)

var secretARNRe = regexp.MustCompile(`^arn:aws(-us-gov|-cn)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$`)

func (d *Deployment) distributionDefaults() {
	x := &d.Distribution
	setString(&x.Encryption, EncryptionS3)
	setInt(&x.NoncurrentRetentionDays, DefaultNoncurrentRetentionDays)
	setString(&x.UpgradeCheck, UpgradeCheckDaily)
	setString(&x.LandingPage.SessionTimeout, DefaultSessionTimeout)
	setInt(&x.LandingPage.LogRetentionDays, DefaultLogRetentionDays)
}

func (d *Deployment) validateDistribution(v *validator) {
	x := d.Distribution
	if !x.Enabled {
		if x.LandingPage.Enabled {
			v.add("distribution.landing_page.enabled", "the landing page serves the distribution bucket; set distribution.enabled to true, or landing_page.enabled to false")
		}
		return
	}
	if x.Encryption != EncryptionS3 && x.Encryption != EncryptionKMS {
		v.add("distribution.encryption", "%q is not an encryption; use %q (SSE-S3) or %q (a customer-managed KMS key)", x.Encryption, EncryptionS3, EncryptionKMS)
	}
	if x.NoncurrentRetentionDays < 1 {
		v.add("distribution.noncurrent_retention_days", "%d is below 1; keep replaced versions at least a day (default %d)", x.NoncurrentRetentionDays, DefaultNoncurrentRetentionDays)
	}
	if x.UpgradeCheck != UpgradeCheckDaily && x.UpgradeCheck != UpgradeCheckOff {
		v.add("distribution.upgrade_check", "%q is neither %q nor %q", x.UpgradeCheck, UpgradeCheckDaily, UpgradeCheckOff)
	}
	if x.LandingPage.Enabled {
		d.validateLandingPage(v)
	}
}

func (d *Deployment) validateLandingPage(v *validator) {
	l := d.Distribution.LandingPage
	const f = "distribution.landing_page."
	switch {
	case l.CertificateARN == "":
		v.add(f+"certificate_arn", "missing: the load balancer signs users in only on an HTTPS listener; give an ACM certificate for domain_name")
	case !certRe.MatchString(l.CertificateARN):
		v.add(f+"certificate_arn", "%q is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)", l.CertificateARN)
	}
	if !provider.IsHostName(l.DomainName) {
		v.add(f+"domain_name", "%q is not a DNS name; give the lower-case name the certificate covers, e.g. claude.example.com", l.DomainName)
	}
	if l.HostedZoneID != "" && !zoneRe.MatchString(l.HostedZoneID) {
		v.add(f+"hosted_zone_id", "%q is not a Route 53 hosted zone ID (Z0123...)", l.HostedZoneID)
	}
	validateNetwork(v, f, l.VPCID, l.SubnetIDs)
	switch {
	case l.ClientID == "":
		v.add(f+"client_id", "missing; register a confidential web application at the IdP for the landing page (redirect URI https://<domain_name>/oauth2/idpresponse) and give its client ID")
	case l.ClientID == d.IdentityProvider.ClientID:
		v.add(f+"client_id", "is ccwb's public client; the load balancer needs a confidential web client with a secret: register a second application")
	case clientIDBad.MatchString(l.ClientID):
		v.add(f+"client_id", "%q is not a client ID (no spaces or quotes)", l.ClientID)
	}
	if !secretARNRe.MatchString(l.ClientSecretARN) {
		v.add(f+"client_secret_arn", "%q must be a Secrets Manager secret ARN; store the client secret there, never in settings", l.ClientSecretARN)
	}
	for _, e := range []struct{ name, value string }{
		{"authorization_endpoint", l.AuthorizationEndpoint}, {"token_endpoint", l.TokenEndpoint}, {"userinfo_endpoint", l.UserInfoEndpoint},
	} {
		if u, err := url.Parse(e.value); err != nil || u.Scheme != "https" || u.Host == "" {
			v.add(f+e.name, "%q is not an https URL; copy %s from the IdP's discovery document (<issuer>/.well-known/openid-configuration)", e.value, e.name)
		}
	}
	if t, err := time.ParseDuration(l.SessionTimeout); err != nil || t < time.Minute || t > 7*24*time.Hour {
		v.add(f+"session_timeout", "%q is not a duration from 1m to 168h (the load balancer's limit of 7 days); e.g. %q", l.SessionTimeout, DefaultSessionTimeout)
	}
	if !slices.Contains(LogRetentionDays, l.LogRetentionDays) {
		v.add(f+"log_retention_days", "%d is not a retention CloudWatch Logs accepts; use one of %s", l.LogRetentionDays, intList(LogRetentionDays))
	}
}

// validateNetwork checks an existing VPC and its public subnets (field names under prefix).
func validateNetwork(v *validator, prefix, vpc string, subnets []string) {
	if vpc != "" && !vpcRe.MatchString(vpc) {
		v.add(prefix+"vpc_id", "%q is not a VPC ID (vpc-0123abcd...); leave it out to create a VPC", vpc)
	}
	if vpc != "" && len(subnets) < 2 {
		v.add(prefix+"subnet_ids", "with vpc_id, list at least two public subnets in different availability zones")
	}
	if vpc == "" && len(subnets) > 0 {
		v.add(prefix+"subnet_ids", "given without vpc_id; set vpc_id too, or remove subnet_ids to create a VPC")
	}
	for i, s := range subnets {
		if !subnetRe.MatchString(s) {
			v.add(fmt.Sprintf("%ssubnet_ids[%d]", prefix, i), "%q is not a subnet ID (subnet-0123abcd...)", s)
		}
	}
}

// SessionTimeoutSeconds is the landing page's session timeout (validated).
func (l LandingPage) SessionTimeoutSeconds() int {
	t, _ := time.ParseDuration(l.SessionTimeout)
	return int(t.Seconds())
}
