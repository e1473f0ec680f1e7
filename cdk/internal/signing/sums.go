package signing

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"

	"ccwb.dev/contract/distribution"
)

func (s *Signer) loadSums() error {
	path, err := needFile(EnvSumsKey, "the OpenSSH private key that signs SHA256SUMS (ssh-keygen -t ed25519)")
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvSumsKey, err)
	}
	pass, err := getenv(EnvSumsKeyPassphrase)
	if err != nil {
		return err
	}
	if pass != "" {
		s.sums, err = ssh.ParsePrivateKeyWithPassphrase(data, []byte(pass))
	} else {
		s.sums, err = ssh.ParsePrivateKey(data)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", EnvSumsKey, path, err)
	}
	return nil
}

// Sums signs SHA256SUMS for ssh-keygen -Y verify (namespace distribution.SumsNamespace) and
// returns the armored signature and the allowed-signers line of the key.
func (s *Signer) Sums(sums []byte) (signature, allowedSigners []byte, err error) {
	sig, err := sshsig.Sign(bytes.NewReader(sums), s.sums, sshsig.HashSHA512, distribution.SumsNamespace)
	if err != nil {
		return nil, nil, fmt.Errorf("sign %s: %w", distribution.SumsFile, err)
	}
	key := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.sums.PublicKey())))
	line := fmt.Sprintf("%s namespaces=%q %s\n", distribution.SignerIdentity, distribution.SumsNamespace, key)
	return sshsig.Armor(sig), []byte(line), nil
}
