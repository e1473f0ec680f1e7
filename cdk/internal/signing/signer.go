package signing

import (
	"ccwb.dev/client/packager"
	"crypto/x509"

	"github.com/anchore/quill/quill"
	"github.com/anchore/quill/quill/pki/load"
	"github.com/sassoftware/relic/v8/lib/certloader"
	"golang.org/x/crypto/ssh"
)

// Signer holds the loaded identities; it implements packager.Signer.
type Signer struct {
	mac          *load.P12Contents
	macTimestamp string
	notary       *quill.NotarizeConfig // nil: no notarization
	authenticode *certloader.Certificate
	sums         ssh.Signer
}

// chainOf returns a certificate and its chain, the certificate first.
func chainOf(leaf *x509.Certificate, chain []*x509.Certificate) []*x509.Certificate {
	return append([]*x509.Certificate{leaf}, chain...)
}

var _ packager.Signer = (*Signer)(nil)
