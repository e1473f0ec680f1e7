package idptest

import (
	"crypto/subtle"
	"errors"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// WebClient is a confidential web application at the provider, as a platform team
// registers one for the landing page's load balancer: it authenticates at the token
// endpoint with its secret (client_secret_basic or client_secret_post) and may be sent
// back only to its one redirect URI.
type WebClient struct {
	ID, Secret, RedirectURI string
}

// webClient is the op.Client of a WebClient; it shares the public client's token rules.
type webClient struct {
	client
	redirect string
}

func (c *webClient) RedirectURIs() []string              { return []string{c.redirect} }
func (c *webClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *webClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *webClient) GrantTypes() []oidc.GrantType        { return []oidc.GrantType{oidc.GrantTypeCode} }

// webClientByID is the provider's web client when id names it.
func (s *storage) webClientByID(id string) (op.Client, bool) {
	wc := s.opts.WebClient
	if wc == nil || id != wc.ID {
		return nil, false
	}
	return &webClient{client: client{id: id, issuer: s.opts.issuer, idTokenLifetime: s.opts.IDTokenLifetime}, redirect: wc.RedirectURI}, true
}

// authorizeWebClient checks a web client's secret.
func (s *storage) authorizeWebClient(id, secret string) error {
	wc := s.opts.WebClient
	if wc == nil || id != wc.ID || subtle.ConstantTimeCompare([]byte(secret), []byte(wc.Secret)) != 1 {
		return errors.New("invalid client credentials")
	}
	return nil
}
