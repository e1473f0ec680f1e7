package distribute

import (
	"encoding/base64"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Fingerprint is the SHA256 fingerprint (as ssh-keygen -l prints it) of the first key of
// an allowed-signers file ("principals [options] keytype key"), or "" when it holds none.
func Fingerprint(allowedSigners []byte) string {
	for _, line := range strings.Split(string(allowedSigners), "\n") {
		fields := strings.Fields(line)
		for i := 0; i+1 < len(fields); i++ {
			raw, err := base64.StdEncoding.DecodeString(fields[i+1])
			if err != nil {
				continue
			}
			if k, err := ssh.ParsePublicKey(raw); err == nil && k.Type() == fields[i] {
				return ssh.FingerprintSHA256(k)
			}
		}
	}
	return ""
}
