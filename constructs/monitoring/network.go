package monitoring

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// AvailabilityZones is how many AZs a new VPC spans: the load balancer has a node (and a
// public IPv4 address) in each.
const AvailabilityZones = 2

// network returns the public subnets of a new VPC or of the existing VPC named in props
// (PublicNetwork).
func (m *Monitoring) network(p MonitoringProps, retention awslogs.RetentionDays) *awsec2.SubnetSelection {
	vpc, subnets := PublicNetwork(m.Construct, p.VPCID, p.SubnetIDs, retention)
	m.Vpc = vpc
	return subnets
}

// PublicNetwork returns, under scope, the public subnets of a new VPC (two AZs, no NAT
// gateway: what runs there has public IPs to reach AWS and the IdP; flow logs on, kept for
// retention) or of the existing VPC vpcID with the public subnets subnetIDs.
func PublicNetwork(scope constructs.Construct, vpcID string, subnetIDs []string, retention awslogs.RetentionDays) (awsec2.IVpc, *awsec2.SubnetSelection) {
	if vpcID != "" {
		var azs []*string
		var subnets []awsec2.ISubnet
		for i, id := range subnetIDs {
			azs = append(azs, awscdk.Fn_Select(jsii.Number(i), awscdk.Fn_GetAzs(nil)))
			subnet := awsec2.Subnet_FromSubnetId(scope, jsii.String(fmt.Sprintf("Subnet%d", i)), jsii.String(id))
			// Nothing here routes: the service and load balancer only need the subnet IDs.
			awscdk.Annotations_Of(subnet).AcknowledgeWarning(jsii.String("@aws-cdk/aws-ec2:noSubnetRouteTableId"),
				jsii.String("existing public subnets: no route is read or added"))
			subnets = append(subnets, subnet)
		}
		vpc := awsec2.Vpc_FromVpcAttributes(scope, jsii.String("Vpc"), &awsec2.VpcAttributes{
			VpcId: jsii.String(vpcID), AvailabilityZones: &azs,
		})
		return vpc, &awsec2.SubnetSelection{Subnets: &subnets}
	}
	flowLogs := awslogs.NewLogGroup(scope, jsii.String("FlowLogs"), &awslogs.LogGroupProps{
		Retention: retention, RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	vpc := awsec2.NewVpc(scope, jsii.String("Vpc"), &awsec2.VpcProps{
		MaxAzs:      jsii.Number(AvailabilityZones),
		NatGateways: jsii.Number(0),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("Public"), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24)},
		},
		RestrictDefaultSecurityGroup: jsii.Bool(true),
		FlowLogs: &map[string]*awsec2.FlowLogOptions{
			"All": {Destination: awsec2.FlowLogDestination_ToCloudWatchLogs(flowLogs, nil), TrafficType: awsec2.FlowLogTrafficType_ALL},
		},
	})
	dropRedundantDependency(scope)
	return vpc, &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC}
}

// restrictSGProvider is the construct ID CDK gives the stack-wide provider of the custom
// resource that empties the default security group (RestrictDefaultSecurityGroup).
const restrictSGProvider = "Custom::VpcRestrictDefaultSGCustomResourceProvider"

// dropRedundantDependency removes the provider handler's DependsOn on its role: the handler
// already names the role with Fn::GetAtt, which orders them, and cfn-lint warns (W3005) on
// the duplicate.
func dropRedundantDependency(scope constructs.Construct) {
	provider := awscdk.Stack_Of(scope).Node().TryFindChild(jsii.String(restrictSGProvider))
	if provider == nil {
		panic("network: no " + restrictSGProvider + " in the stack; the CDK changed how it restricts the default security group")
	}
	handler, okH := provider.Node().TryFindChild(jsii.String("Handler")).(awscdk.CfnResource)
	role, okR := provider.Node().TryFindChild(jsii.String("Role")).(awscdk.CfnResource)
	if !okH || !okR {
		panic("network: " + restrictSGProvider + " has no Handler and Role resources; the CDK changed its provider")
	}
	handler.RemoveResourceDependency(role)
}
