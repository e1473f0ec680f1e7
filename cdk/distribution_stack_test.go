package main

import (
	"strings"
	"testing"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/constructs/cdktest"
	"ccwb.dev/constructs/cdktest/iamsim"
	"ccwb.dev/contract/distribution"
	"ccwb.dev/contract/outputs"
	"ccwb.dev/contract/stacks"
	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// TestDistributionStack synthesizes the committed example's distribution stack (landing
// page on), one with a KMS key and no landing page, and one with the upgrade check off,
// then checks the bucket, the sign-in in front of the landing function, the download log,
// the Bedrock role's one-object grant (through the IAM policy simulator), cdk-nag and
// cfn-lint.
func TestDistributionStack(t *testing.T) {
	example, err := settings.Load("../settings/example.json")
	if err != nil {
		t.Fatal(err)
	}
	if !example.Distribution.Enabled || !example.Distribution.LandingPage.Enabled {
		t.Fatal("the committed example must enable the distribution stack and its landing page, so that `make` synthesizes them")
	}
	example.Name, example.Monitoring.Enabled, example.Analytics.Enabled = "dist", false, false
	withKMS := *example
	withKMS.Name, withKMS.Distribution.Encryption, withKMS.Distribution.LandingPage.Enabled = "distkms", settings.EncryptionKMS, false
	noCheck := withKMS
	noCheck.Name, noCheck.Distribution.Encryption, noCheck.Distribution.UpgradeCheck = "distoff", settings.EncryptionS3, settings.UpgradeCheckOff
	asm := cdktest.Synth(t, func(app awscdk.App) {
		for _, d := range []*settings.Deployment{example, &withKMS, &noCheck} {
			if composeStacks(app, d).distribution == nil {
				t.Errorf("%s: no distribution stack composed", d.Name)
			}
		}
	})
	names := []string{example.StackName(stacks.Distribution), withKMS.StackName(stacks.Distribution), noCheck.StackName(stacks.Distribution)}
	asm.RequireNoNagFindings(t, names...)
	t.Run("cfn-lint", func(t *testing.T) { cdktest.CfnLint(t, asm.Dir) })

	t.Run("bucket", func(t *testing.T) {
		for i, want := range []string{"AES256", "aws:kms"} {
			bucket := distributionBucket(t, asm, names[i])
			p := props(bucket)
			if got := cdktest.Render(p["PublicAccessBlockConfiguration"]); strings.Count(got, "true") != 4 {
				t.Errorf("%s: public access block %s, want all four on", names[i], got)
			}
			if got := cdktest.Render(p["VersioningConfiguration"]); !strings.Contains(got, "Enabled") {
				t.Errorf("%s: versioning %s", names[i], got)
			}
			if got := cdktest.Render(p["BucketEncryption"]); !strings.Contains(got, want) {
				t.Errorf("%s: encryption %s, want %s", names[i], got, want)
			}
			if p["LoggingConfiguration"] == nil {
				t.Errorf("%s: no server access logs", names[i])
			}
		}
		tls := false
		for _, pol := range asm.Resources(t, names[0], "AWS::S3::BucketPolicy") {
			tls = tls || strings.Contains(cdktest.Render(props(pol)["PolicyDocument"]), `"aws:SecureTransport":"false"`)
		}
		if !tls {
			t.Error("no bucket policy denies requests without TLS")
		}
		outs := asm.TemplateJSON(t, names[0])["Outputs"].(map[string]any)
		for _, o := range []string{outputs.DistributionBucket, outputs.DistributionRegion, outputs.LandingPageURL} {
			if outs[o] == nil {
				t.Errorf("output %s missing", o)
			}
		}
	})

	t.Run("landing page signs in before the function", func(t *testing.T) {
		lp := example.Distribution.LandingPage
		_, issuer, _ := example.Provider()
		var https map[string]any
		for _, l := range asm.Resources(t, names[0], "AWS::ElasticLoadBalancingV2::Listener") {
			if props(l)["Port"] == float64(443) {
				https = props(l)
			}
		}
		if https == nil || https["Protocol"] != "HTTPS" {
			t.Fatalf("no HTTPS listener on 443: %v", https)
		}
		actions := https["DefaultActions"].([]any)
		auth, fwd := actions[0].(map[string]any), actions[1].(map[string]any)
		cfg := auth["AuthenticateOidcConfig"].(map[string]any)
		if auth["Type"] != "authenticate-oidc" || fwd["Type"] != "forward" || auth["Order"].(float64) >= fwd["Order"].(float64) {
			t.Fatalf("listener actions %s: want authenticate-oidc, then forward", cdktest.Render(actions))
		}
		secret := cdktest.Render(cfg["ClientSecret"])
		if !strings.Contains(secret, "{{resolve:secretsmanager:"+lp.ClientSecretARN+":SecretString:::}}") {
			t.Errorf("client secret %s, want a dynamic reference to %s (never the secret in the template)", secret, lp.ClientSecretARN)
		}
		for k, want := range map[string]string{"Issuer": issuer, "ClientId": lp.ClientID, "TokenEndpoint": lp.TokenEndpoint, "SessionTimeout": "3600", "OnUnauthenticatedRequest": "authenticate"} {
			if got := cdktest.Render(cfg[k]); got != want {
				t.Errorf("AuthenticateOidcConfig.%s = %s, want %s", k, got, want)
			}
		}
		_, tg, err := only(asm.Resources(t, names[0], "AWS::ElasticLoadBalancingV2::TargetGroup"))
		if err != nil || props(tg)["TargetType"] != "lambda" {
			t.Errorf("target group %v (%v): want the landing function", tg, err)
		}
		retained := false
		for _, lg := range asm.Resources(t, names[0], "AWS::Logs::LogGroup") {
			retained = retained || (props(lg)["RetentionInDays"] == float64(lp.LogRetentionDays) && lg["DeletionPolicy"] == "Retain")
		}
		if !retained {
			t.Errorf("no retained log group with %d days of retention (the download log)", lp.LogRetentionDays)
		}
	})

	t.Run("the Bedrock role reads latest.json and nothing else", func(t *testing.T) {
		latestGrant(t, asm, names[0], false)
		latestGrant(t, asm, names[1], true)
		if len(asm.Resources(t, names[2], "AWS::IAM::Policy")) != 0 {
			t.Error("upgrade_check off still grants the Bedrock role a policy")
		}
	})
}

// distributionBucket is the stack's versioned package bucket.
func distributionBucket(t *testing.T, asm *cdktest.Assembly, stack string) map[string]any {
	t.Helper()
	for id, b := range asm.Resources(t, stack, "AWS::S3::Bucket") {
		if strings.HasPrefix(id, "DistributionBucket") {
			return b
		}
	}
	t.Fatalf("%s has no distribution bucket", stack)
	return nil
}

// latestGrant asks the IAM policy simulator what the Bedrock role's grant in stack allows.
func latestGrant(t *testing.T, asm *cdktest.Assembly, stack string, kms bool) {
	t.Helper()
	const bucket = "dist-bucket"
	env := iamsim.Env{Partition: "aws", Region: "us-east-1", Account: testAccount, Attrs: map[string]string{}, Refs: map[string]string{}}
	for id := range asm.Resources(t, stack, "AWS::S3::Bucket") {
		env.Attrs[id+".Arn"] = "arn:aws:s3:::" + bucket
	}
	var keyPolicy any
	for id, k := range asm.Resources(t, stack, "AWS::KMS::Key") {
		env.Attrs[id+".Arn"] = "arn:aws:kms:us-east-1:" + testAccount + ":key/1234"
		keyPolicy = props(k)["KeyPolicy"]
	}
	var grants []any
	for _, pol := range asm.Resources(t, stack, "AWS::IAM::Policy") {
		if !strings.Contains(cdktest.Render(props(pol)["Roles"]), "ImportValue") {
			continue // the landing function's own role
		}
		doc, err := iamsim.Resolve(props(pol)["PolicyDocument"], env)
		if err != nil {
			t.Fatal(err)
		}
		grants = append(grants, doc)
	}
	if len(grants) != 1 {
		t.Fatalf("%s: %d policies attached to the Bedrock role, want 1", stack, len(grants))
	}
	obj := func(action, key string) iamsim.Request {
		return iamsim.Request{Principal: sessionARN, Action: action, Resource: "arn:aws:s3:::" + bucket + "/" + key, ResourceAccount: testAccount}
	}
	cases := []struct {
		req   iamsim.Request
		allow bool
	}{
		{obj("s3:GetObject", distribution.LatestKey), true},
		{obj("s3:GetObject", distribution.PackageKey("ClaudeCode", "1.0.0", "x.tar.gz")), false},
		{obj("s3:PutObject", distribution.LatestKey), false},
		{iamsim.Request{Principal: sessionARN, Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + bucket, ResourceAccount: testAccount}, false},
	}
	if kms {
		key := "arn:aws:kms:us-east-1:" + testAccount + ":key/1234"
		decrypt := func(ctx map[string]any) iamsim.Request {
			return iamsim.Request{Principal: sessionARN, Action: "kms:Decrypt", Resource: key, ResourceAccount: testAccount, Context: ctx}
		}
		cases = append(cases, []struct {
			req   iamsim.Request
			allow bool
		}{
			{decrypt(map[string]any{"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::" + bucket}), true},
			{decrypt(map[string]any{"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::" + bucket}), false},
		}...)
	}
	var sim []iamsim.Case
	for _, c := range cases {
		cs := iamsim.Case{Identity: grants, Request: c.req}
		if strings.HasPrefix(c.req.Action, "kms:") {
			// KMS decides with the key policy too: the CDK's default lets the account's IAM
			// policies grant use of the key.
			kp, err := iamsim.Resolve(keyPolicy, env)
			if err != nil {
				t.Fatal(err)
			}
			cs.Resource, cs.Kind = kp, "resource"
		}
		sim = append(sim, cs)
	}
	for i, r := range iamsim.Evaluate(t, sim) {
		if got := r.Decision == iamsim.Allowed; got != cases[i].allow {
			t.Errorf("%s: %s %s: IAM says %s, want allowed=%v", stack, cases[i].req.Action, cases[i].req.Resource, r, cases[i].allow)
		}
	}
}
