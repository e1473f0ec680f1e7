package quota

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	qc "ccwb.dev/contract/quota"
)

// CheckAPI is the check service's HTTP API: one route, POST qc.CheckPath, behind a JWT
// authorizer that accepts only the deployment's ID tokens (issuer, and audience = the client
// ID), checking their signature against the issuer's keys and their expiry
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
type CheckAPI struct {
	constructs.Construct
	API        awsapigatewayv2.HttpApi
	AccessLogs awslogs.LogGroup
	// URL is the route's URL, which config.json's quota_url holds.
	URL *string
}

// NewCheckAPI creates the API in front of fn.
func NewCheckAPI(scope constructs.Construct, id string, fn awslambda.IFunction, issuer, clientID string) *CheckAPI {
	a := &CheckAPI{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	a.API = awsapigatewayv2.NewHttpApi(a.Construct, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		Description: jsii.String("ccwb quota check: the credential process asks it before each federation"),
	})
	auth := awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String("IdToken"), jsii.String(issuer), &awsapigatewayv2authorizers.HttpJwtAuthorizerProps{
		JwtAudience:    jsii.Strings(clientID),
		IdentitySource: jsii.Strings("$request.header.Authorization"),
	})
	a.API.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
		Path: jsii.String(qc.CheckPath), Methods: &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_POST},
		Integration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Check"), fn, nil),
		Authorizer:  auth,
	})
	a.AccessLogs = awslogs.NewLogGroup(a.Construct, jsii.String("AccessLogs"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_MONTH, RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	stage := a.API.DefaultStage().Node().DefaultChild().(awsapigatewayv2.CfnStage)
	stage.SetAccessLogSettings(&awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
		DestinationArn: a.AccessLogs.LogGroupArn(),
		Format: jsii.String(`{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","time":"$context.requestTime",` +
			`"route":"$context.routeKey","status":"$context.status","sub":"$context.authorizer.claims.sub","error":"$context.authorizer.error","latency":"$context.integrationLatency"}`),
	})
	// Checks come at federation only (once a session per user): a low rate protects the table.
	stage.SetDefaultRouteSettings(&awsapigatewayv2.CfnStage_RouteSettingsProperty{ThrottlingBurstLimit: jsii.Number(200), ThrottlingRateLimit: jsii.Number(100)})
	a.URL = awscdk.Fn_Join(jsii.String(""), &[]*string{a.API.ApiEndpoint(), jsii.String(qc.CheckPath)})
	return a
}
