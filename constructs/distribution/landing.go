package distribution

import (
	"fmt"

	"ccwb.dev/constructs/function"
	"ccwb.dev/constructs/monitoring"
	contract "ccwb.dev/contract/distribution"
	"ccwb.dev/lambda/landing"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	elb "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2targets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// LandingProps configure the landing page. Everything without a default is required.
// DefaultSessionTimeoutSeconds is how long the load balancer's sign-in cookie lasts (1 h;
// the load balancer's own default is 7 days).
const DefaultSessionTimeoutSeconds = 3600

type LandingProps struct {
	Distribution *Distribution
	// Code is the landing function (lambda/landing, built for provided.al2023 arm64).
	Code awslambda.Code
	// Issuer is the IdP's issuer URL; ClientID and ClientSecretARN the confidential web
	// client the load balancer signs users in with (the secret stays in Secrets Manager:
	// the template holds a dynamic reference).
	Issuer, ClientID, ClientSecretARN string
	// The IdP's endpoints, from its discovery document.
	AuthorizationEndpoint, TokenEndpoint, UserInfoEndpoint string
	// DomainName, covered by CertificateARN; an alias record in HostedZoneID when set.
	DomainName, CertificateARN, HostedZoneID string
	// VPCID and SubnetIDs use existing public subnets; empty: a new VPC.
	VPCID     string
	SubnetIDs []string
	// SessionTimeoutSeconds of the sign-in cookie (default DefaultSessionTimeoutSeconds).
	SessionTimeoutSeconds int
	// LogRetentionDays of the download log (default 30).
	LogRetentionDays int
}

// Landing is the landing page: load balancer, sign-in, function and download log.
type Landing struct {
	constructs.Construct
	Vpc          awsec2.IVpc
	LoadBalancer elb.ApplicationLoadBalancer
	Function     awslambda.Function
	// DownloadLog is the function's log group: one JSON line per download, naming the
	// user the load balancer verified.
	DownloadLog awslogs.LogGroup
	// URL is https://<DomainName>/.
	URL *string
}

// NewLanding creates the landing page.
func NewLanding(scope constructs.Construct, id string, p *LandingProps) *Landing {
	l := &Landing{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	days := p.LogRetentionDays
	if days == 0 {
		days = monitoring.DefaultLogRetentionDays
	}
	var subnets *awsec2.SubnetSelection
	l.Vpc, subnets = monitoring.PublicNetwork(l.Construct, p.VPCID, p.SubnetIDs, monitoring.Retention(days))
	l.function(p, monitoring.Retention(days))
	l.loadBalancer(p, subnets)
	l.URL = jsii.String("https://" + p.DomainName + "/")
	return l
}

// function is the Lambda function behind the sign-in: it reads latest.json and presigns
// links to packages/*, and nothing else.
func (l *Landing) function(p *LandingProps, retention awslogs.RetentionDays) {
	l.DownloadLog = awslogs.NewLogGroup(l.Construct, jsii.String("DownloadLog"), &awslogs.LogGroupProps{
		Retention: retention, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	b := p.Distribution.Bucket
	f := function.New(l.Construct, "Function", &function.Props{
		Description:     "ccwb landing page: the download page and presigned downloads for signed-in users",
		RoleDescription: "ccwb landing page: write the download log, read latest.json, presign package downloads",
		Code:            p.Code,
		MemoryMB:        256,
		Timeout:         awscdk.Duration_Seconds(jsii.Number(10)),
		Logs:            l.DownloadLog,
		Env: map[string]*string{
			landing.EnvBucket:   b.BucketName(),
			landing.EnvClientID: jsii.String(p.ClientID),
		},
	})
	l.Function = f.Function
	role := f.Role
	b.GrantRead(role, jsii.String(contract.LatestKey))
	b.GrantRead(role, jsii.String(contract.PackagePrefix+"*"))
	cdknag.NagSuppressions_AddResourceSuppressions(role, &[]*cdknag.NagPackSuppression{{
		Id:        jsii.String("AwsSolutions-IAM5"),
		Reason:    jsii.String("The function presigns downloads of any package under packages/ (one prefix of the distribution bucket), and writes log streams it names at run time in its own log group only."),
		AppliesTo: &[]any{"Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Resource::<" + logicalID(b) + ".Arn>/packages/*", "Resource::<" + logicalID(l.DownloadLog) + ".Arn>:*"},
	}}, jsii.Bool(true))
}

// loadBalancer is the internet-facing load balancer: HTTPS only (HTTP redirects), the
// authenticate-oidc action first, then the function.
func (l *Landing) loadBalancer(p *LandingProps, subnets *awsec2.SubnetSelection) {
	sg := awsec2.NewSecurityGroup(l.Construct, jsii.String("LoadBalancerSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: l.Vpc, Description: jsii.String("landing page load balancer: HTTPS from users, HTTPS to the IdP"), AllowAllOutbound: jsii.Bool(false),
	})
	sg.AddIngressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(443)), jsii.String("HTTPS from users"), nil)
	sg.AddIngressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(80)), jsii.String("HTTP, redirected to HTTPS"), nil)
	// The load balancer calls the IdP's token and user-info endpoints itself.
	sg.AddEgressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(443)), jsii.String("HTTPS to the IdP's token and user-info endpoints"), nil)
	cdknag.NagSuppressions_AddResourceSuppressions(sg, &[]*cdknag.NagPackSuppression{{
		Id:     jsii.String("AwsSolutions-EC23"),
		Reason: jsii.String("Developers download from wherever they work; every request but the redirect to HTTPS goes through the load balancer's OIDC sign-in first."),
	}}, jsii.Bool(false))
	l.LoadBalancer = elb.NewApplicationLoadBalancer(l.Construct, jsii.String("LoadBalancer"), &elb.ApplicationLoadBalancerProps{
		Vpc: l.Vpc, InternetFacing: jsii.Bool(true), SecurityGroup: sg, VpcSubnets: subnets,
		DropInvalidHeaderFields: jsii.Bool(true),
	})
	l.LoadBalancer.LogAccessLogs(p.Distribution.AccessLogs, jsii.String("landing"))
	l.Function.AddEnvironment(jsii.String(landing.EnvSigner), l.LoadBalancer.LoadBalancerArn(), nil)
	group := elb.NewApplicationTargetGroup(l.Construct, jsii.String("Page"), &elb.ApplicationTargetGroupProps{
		TargetType: elb.TargetType_LAMBDA,
		Targets:    &[]elb.IApplicationLoadBalancerTarget{awselasticloadbalancingv2targets.NewLambdaTarget(l.Function)},
	})
	timeout := p.SessionTimeoutSeconds
	if timeout == 0 {
		timeout = DefaultSessionTimeoutSeconds
	}
	l.LoadBalancer.AddListener(jsii.String("Https"), &elb.BaseApplicationListenerProps{
		Port: jsii.Number(443), Protocol: elb.ApplicationProtocol_HTTPS, Open: jsii.Bool(false),
		Certificates: &[]elb.IListenerCertificate{elb.ListenerCertificate_FromArn(jsii.String(p.CertificateARN))},
		SslPolicy:    elb.SslPolicy_RECOMMENDED_TLS,
		DefaultAction: elb.ListenerAction_AuthenticateOidc(&elb.AuthenticateOidcOptions{
			Issuer: jsii.String(p.Issuer), ClientId: jsii.String(p.ClientID),
			ClientSecret:          awscdk.SecretValue_SecretsManager(jsii.String(p.ClientSecretARN), nil),
			AuthorizationEndpoint: jsii.String(p.AuthorizationEndpoint),
			TokenEndpoint:         jsii.String(p.TokenEndpoint), UserInfoEndpoint: jsii.String(p.UserInfoEndpoint),
			Scope:                    jsii.String("openid email profile"),
			SessionTimeout:           awscdk.Duration_Seconds(jsii.Number(float64(timeout))),
			OnUnauthenticatedRequest: elb.UnauthenticatedAction_AUTHENTICATE,
			AllowHttpsOutbound:       jsii.Bool(false), // the egress rule above already allows it
			Next:                     elb.ListenerAction_Forward(&[]elb.IApplicationTargetGroup{group}, nil),
		}),
	})
	l.LoadBalancer.AddListener(jsii.String("Http"), &elb.BaseApplicationListenerProps{
		Port: jsii.Number(80), Protocol: elb.ApplicationProtocol_HTTP, Open: jsii.Bool(false),
		DefaultAction: elb.ListenerAction_Redirect(&elb.RedirectOptions{Protocol: jsii.String("HTTPS"), Port: jsii.String("443"), Permanent: jsii.Bool(true)}),
	})
	if p.HostedZoneID != "" {
		zone := awsroute53.HostedZone_FromHostedZoneAttributes(l.Construct, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
			HostedZoneId: jsii.String(p.HostedZoneID), ZoneName: jsii.String(p.DomainName),
		})
		awsroute53.NewARecord(l.Construct, jsii.String("Alias"), &awsroute53.ARecordProps{
			Zone: zone, RecordName: jsii.String(p.DomainName),
			Target: awsroute53.RecordTarget_FromAlias(awsroute53targets.NewLoadBalancerTarget(l.LoadBalancer, nil)),
		})
	}
}

// logicalID is the CloudFormation logical ID of a construct's resource, as cdk-nag names it.
func logicalID(c constructs.IConstruct) string {
	el, ok := c.Node().DefaultChild().(awscdk.CfnElement)
	if !ok {
		panic(fmt.Sprintf("%s has no CloudFormation resource", *c.Node().Path()))
	}
	return *awscdk.Stack_Of(c).GetLogicalId(el)
}
