package auth

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssso"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"ccwb.dev/contract/federation"
)

// IdentityCenterAccessProps configure IdentityCenterAccess. The deployment settings validate
// the values; the construct panics on props no valid settings produce.
type IdentityCenterAccessProps struct {
	// InstanceARN is the IAM Identity Center instance. Required.
	InstanceARN string
	// Name is the permission set's name (1 to 32 characters), also the role name users ask
	// the access portal for. Required.
	Name string
	// AccountID is the account the permission set is assigned in. Required.
	AccountID string
	// Groups are the identity-store group IDs it is assigned to. Required.
	Groups []string
	// SessionDuration is how long the role credentials last (1 to 12 hours, as a role's).
	// Default federation.DefaultSessionDuration.
	SessionDuration time.Duration
	// Regions, CrossRegionProfile and Models are the Bedrock access, as in BedrockAuthProps.
	Regions            []string
	CrossRegionProfile string
	Models             []string
	// Description is the permission set's description.
	Description string
}

// IdentityCenterAccess is a permission set with the Bedrock policy of BedrockAuth's role,
// assigned to groups in one account: Identity Center creates the role
// AWSReservedSSO_<name>_<suffix> there and the access portal hands its credentials to the
// groups' members.
type IdentityCenterAccess struct {
	constructs.Construct
	PermissionSet awssso.CfnPermissionSet
	Assignments   []awssso.CfnAssignment
	// SessionDuration is the permission set's session duration, the default applied.
	SessionDuration time.Duration
}

// NewIdentityCenterAccess creates the permission set and one assignment per group.
func NewIdentityCenterAccess(scope constructs.Construct, id string, props *IdentityCenterAccessProps) *IdentityCenterAccess {
	p := props.withDefaults()
	c := constructs.NewConstruct(scope, jsii.String(id))
	access := ModelAccess{Regions: p.Regions, Profile: p.CrossRegionProfile, Models: p.Models, Account: p.AccountID}
	policy := awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: BedrockStatements(access)})
	ps := awssso.NewCfnPermissionSet(c, jsii.String("PermissionSet"), &awssso.CfnPermissionSetProps{
		InstanceArn:     jsii.String(p.InstanceARN),
		Name:            jsii.String(p.Name),
		Description:     jsii.String(p.Description),
		InlinePolicy:    policy,
		SessionDuration: awscdk.Duration_Seconds(jsii.Number(p.SessionDuration.Seconds())).ToIsoString(),
	})
	a := &IdentityCenterAccess{Construct: c, PermissionSet: ps, SessionDuration: p.SessionDuration}
	for _, g := range p.Groups {
		a.Assignments = append(a.Assignments, awssso.NewCfnAssignment(c, jsii.String("Group-"+g), &awssso.CfnAssignmentProps{
			InstanceArn:      jsii.String(p.InstanceARN),
			PermissionSetArn: ps.AttrPermissionSetArn(),
			PrincipalId:      jsii.String(g),
			PrincipalType:    jsii.String("GROUP"),
			TargetId:         jsii.String(p.AccountID),
			TargetType:       jsii.String("AWS_ACCOUNT"),
		}))
	}
	return a
}

func (props *IdentityCenterAccessProps) withDefaults() IdentityCenterAccessProps {
	if props == nil {
		panic("auth.NewIdentityCenterAccess: props are required (InstanceARN, Name, AccountID, Groups, Regions, Models)")
	}
	p := *props
	if p.SessionDuration == 0 {
		p.SessionDuration = federation.DefaultSessionDuration
	}
	if p.Description == "" {
		p.Description = "Claude Code on Amazon Bedrock"
	}
	var problems []string
	for _, f := range [][2]string{{"InstanceARN", p.InstanceARN}, {"Name", p.Name}, {"AccountID", p.AccountID}} {
		if f[1] == "" {
			problems = append(problems, f[0]+" is empty")
		}
	}
	if len(p.Name) > 32 {
		problems = append(problems, fmt.Sprintf("Name %q is longer than 32 characters", p.Name))
	}
	if len(p.Groups) == 0 || len(p.Regions) == 0 || len(p.Models) == 0 {
		problems = append(problems, "Groups, Regions and Models must not be empty")
	}
	if !roleSession(p.SessionDuration) || p.SessionDuration%time.Second != 0 {
		problems = append(problems, sessionProblem(p.SessionDuration))
	}
	if len(problems) > 0 {
		panic("auth.NewIdentityCenterAccess: " + strings.Join(problems, "; "))
	}
	return p
}
