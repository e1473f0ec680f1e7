// Package preflight checks, before `ccwb deploy` changes anything, what only the AWS
// account can tell: whether an existing IAM OIDC provider the settings reuse is safe to
// build on (ExistingOIDCProvider), and whether the quota stacks' model invocation logging
// would deploy in every Region it meters (InvocationLogging). `ccwb doctor` runs the same.
package preflight

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/federation"
)

// IAM is the one IAM call the check makes (an *iam.Client satisfies it).
type IAM interface {
	GetOpenIDConnectProvider(ctx context.Context, in *iam.GetOpenIDConnectProviderInput, optFns ...func(*iam.Options)) (*iam.GetOpenIDConnectProviderOutput, error)
}

// ExistingOIDCProvider checks federation.existing_oidc_provider_arn against the provider
// in the account, with the deploying credentials:
//   - cognito federation: its client-ID list must be exactly the ccwb client. Cognito
//     accepts an IdP token whose aud is any client ID on that list, and the identity
//     pool's role trust cannot see the IdP token's audience, so another application's
//     token would yield Bedrock credentials (docs/platform/iam-model.md).
//   - direct federation: the list must hold the ccwb client (IAM refuses tokens for
//     audiences the provider does not list); others are harmless there, because the
//     role's trust policy pins the audience.
//
// Without an existing provider it does nothing.
func ExistingOIDCProvider(ctx context.Context, client IAM, d *settings.Deployment) error {
	arn := d.Federation.ExistingOIDCProviderARN
	if arn == "" {
		return nil
	}
	out, err := client.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	if err != nil {
		var api smithy.APIError
		if errors.As(err, &api) && api.ErrorCode() == "NoSuchEntity" {
			return fmt.Errorf("federation.existing_oidc_provider_arn: %s does not exist in this account; create it or leave the setting out to let the auth stack create it", arn)
		}
		return fmt.Errorf("read the OIDC provider %s (iam:GetOpenIDConnectProvider) to check its client IDs: %w", arn, err)
	}
	clientID := d.IdentityProvider.ClientID
	ids := out.ClientIDList
	switch {
	case d.Federation.Type == federation.Cognito && !slices.Equal(ids, []string{clientID}):
		return fmt.Errorf("federation.existing_oidc_provider_arn: with cognito federation the provider's client-ID list must be exactly [%s], but %s lists [%s]: Cognito accepts a token issued to any listed client, so those applications' users would get Bedrock credentials. Use direct federation (its trust policy pins the audience), or a provider (or issuer) used by ccwb alone", clientID, arn, strings.Join(ids, ", "))
	case !slices.Contains(ids, clientID):
		return fmt.Errorf("federation.existing_oidc_provider_arn: %s does not list the client %s, so IAM would refuse every ccwb token; add it (aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn %s --client-id %s)", arn, clientID, arn, clientID)
	}
	return nil
}
