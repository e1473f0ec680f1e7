package monitoring

import (
	"strconv"

	"ccwb.dev/contract/collector"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// IdleTimeoutSeconds is the load balancer's idle timeout: OTLP exporters keep connections
// alive between exports, and it stays below the collector's own idle timeout so the load
// balancer, not the collector, closes an idle connection (no 502 on a reused connection).
const IdleTimeoutSeconds = 50

// loadBalancer puts an internet-facing ALB in front of the service: HTTP, or HTTPS with
// HTTP redirected when a certificate is set; access logs to an S3 bucket; the target group
// forwards OTLP/HTTP to the collector and checks its health_check extension.
func (m *Monitoring) loadBalancer(p MonitoringProps, subnets *awsec2.SubnetSelection) {
	sg := awsec2.NewSecurityGroup(m.Construct, jsii.String("LoadBalancerSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc: m.Vpc, Description: jsii.String("collector load balancer: OTLP/HTTP from Claude Code clients anywhere"), AllowAllOutbound: jsii.Bool(false),
	})
	port := 80
	if p.CertificateARN != "" {
		port = 443
		sg.AddIngressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(80)), jsii.String("HTTP, redirected to HTTPS"), nil)
	}
	sg.AddIngressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(float64(port))), jsii.String("OTLP/HTTP from Claude Code"), nil)
	cdknag.NagSuppressions_AddResourceSuppressions(sg, &[]*cdknag.NagPackSuppression{{
		Id:     jsii.String("AwsSolutions-EC23"),
		Reason: jsii.String("Claude Code sends telemetry from wherever developers work; every request must carry a valid ID token of the deployment's IdP, which the collector verifies (signature, issuer, audience, expiry)."),
	}}, jsii.Bool(false))
	for _, svcPort := range []int{collector.DefaultHTTPPort, collector.DefaultHealthPort} {
		m.Service.Connections().AllowFrom(sg, awsec2.Port_Tcp(jsii.Number(float64(svcPort))), jsii.String("from the load balancer"))
	}

	m.accessLogs(p)
	m.LoadBalancer = awselasticloadbalancingv2.NewApplicationLoadBalancer(m.Construct, jsii.String("LoadBalancer"), &awselasticloadbalancingv2.ApplicationLoadBalancerProps{
		Vpc: m.Vpc, InternetFacing: jsii.Bool(true), SecurityGroup: sg, VpcSubnets: subnets,
		IdleTimeout:             awscdk.Duration_Seconds(jsii.Number(IdleTimeoutSeconds)),
		DropInvalidHeaderFields: jsii.Bool(true),
	})
	m.LoadBalancer.LogAccessLogs(m.AccessLogs, jsii.String("alb"))

	m.TargetGroup = awselasticloadbalancingv2.NewApplicationTargetGroup(m.Construct, jsii.String("Collectors"), &awselasticloadbalancingv2.ApplicationTargetGroupProps{
		Vpc: m.Vpc, Port: jsii.Number(collector.DefaultHTTPPort), Protocol: awselasticloadbalancingv2.ApplicationProtocol_HTTP,
		TargetType: awselasticloadbalancingv2.TargetType_IP,
		HealthCheck: &awselasticloadbalancingv2.HealthCheck{
			Path: jsii.String("/"), Port: jsii.String(strconv.Itoa(collector.DefaultHealthPort)), HealthyHttpCodes: jsii.String("200"),
			Interval: awscdk.Duration_Seconds(jsii.Number(15)), HealthyThresholdCount: jsii.Number(2), UnhealthyThresholdCount: jsii.Number(3),
		},
		DeregistrationDelay: awscdk.Duration_Seconds(jsii.Number(30)),
	})
	m.Service.AttachToApplicationTargetGroup(m.TargetGroup)

	m.listeners(p)
}

// accessLogs is the bucket the load balancer writes its access logs to.
func (m *Monitoring) accessLogs(p MonitoringProps) {
	m.AccessLogs = NewAccessLogBucket(m.Construct, "AccessLogs", p.LogRetentionDays, "the load balancer's access logs")
}

// listeners answer OTLP/HTTP: HTTPS with the certificate (and HTTP redirected to it), or
// plain HTTP without one; with a hosted zone, the domain name points at the load balancer.
// They set the collector endpoint clients send to.
func (m *Monitoring) listeners(p MonitoringProps) {
	scheme, host := "http", m.LoadBalancer.LoadBalancerDnsName()
	if p.DomainName != "" {
		host = jsii.String(p.DomainName)
	}
	forward := awselasticloadbalancingv2.ListenerAction_Forward(&[]awselasticloadbalancingv2.IApplicationTargetGroup{m.TargetGroup}, nil)
	if p.CertificateARN != "" {
		scheme = "https"
		m.LoadBalancer.AddListener(jsii.String("Https"), &awselasticloadbalancingv2.BaseApplicationListenerProps{
			Port: jsii.Number(443), Protocol: awselasticloadbalancingv2.ApplicationProtocol_HTTPS, Open: jsii.Bool(false),
			Certificates:  &[]awselasticloadbalancingv2.IListenerCertificate{awselasticloadbalancingv2.ListenerCertificate_FromArn(jsii.String(p.CertificateARN))},
			SslPolicy:     awselasticloadbalancingv2.SslPolicy_RECOMMENDED_TLS,
			DefaultAction: forward,
		})
		m.LoadBalancer.AddListener(jsii.String("Http"), &awselasticloadbalancingv2.BaseApplicationListenerProps{
			Port: jsii.Number(80), Protocol: awselasticloadbalancingv2.ApplicationProtocol_HTTP, Open: jsii.Bool(false),
			DefaultAction: awselasticloadbalancingv2.ListenerAction_Redirect(&awselasticloadbalancingv2.RedirectOptions{
				Protocol: jsii.String("HTTPS"), Port: jsii.String("443"), Permanent: jsii.Bool(true),
			}),
		})
	} else {
		m.LoadBalancer.AddListener(jsii.String("Http"), &awselasticloadbalancingv2.BaseApplicationListenerProps{
			Port: jsii.Number(80), Protocol: awselasticloadbalancingv2.ApplicationProtocol_HTTP, Open: jsii.Bool(false),
			DefaultAction: forward,
		})
	}
	if p.DomainName != "" && p.HostedZoneID != "" {
		zone := awsroute53.HostedZone_FromHostedZoneAttributes(m.Construct, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
			HostedZoneId: jsii.String(p.HostedZoneID), ZoneName: jsii.String(p.DomainName),
		})
		awsroute53.NewARecord(m.Construct, jsii.String("Alias"), &awsroute53.ARecordProps{
			Zone: zone, RecordName: jsii.String(p.DomainName),
			Target: awsroute53.RecordTarget_FromAlias(awsroute53targets.NewLoadBalancerTarget(m.LoadBalancer, nil)),
		})
	}
	m.Endpoint = awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String(scheme + "://"), host})
}
