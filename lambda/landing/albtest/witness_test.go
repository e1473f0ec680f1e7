package albtest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccwb.dev/contract/testenv"
)

// The tokens the double signs are what AWS Labs' aws-jwt-verify accepts as a load
// balancer's x-amzn-oidc-data (padded segments, header signer/client/kid, the key from
// <jwksUri>/<kid>), and it refuses the same changes the landing function refuses.
func TestTheDoublesTokensPassAwsJwtVerify(t *testing.T) {
	node := testenv.Node(t)
	testenv.NodeModule(t, "aws-jwt-verify")
	a := New(t)
	key, kid := a.Key()
	const client, issuer = "landing-web", "https://idp.example.com"
	user := map[string]any{"sub": "00u1a2b3c4", "email": "jane.doe@example.com"}
	soon := time.Now().Add(time.Minute)
	good := Sign(key, kid, a.ARN, client, issuer, soon, user)
	tokens := []string{
		good,
		Sign(key, kid, strings.Replace(a.ARN, "landing", "other", 1), client, issuer, soon, user),
		Sign(key, kid, a.ARN, "someone-else", issuer, soon, user),
		Sign(key, kid, a.ARN, client, issuer, time.Now().Add(-time.Minute), user),
		strings.Replace(good, ".", ".x", 1),
	}
	dir := t.TempDir()
	ca := filepath.Join(dir, "keys-ca.pem")
	if err := os.WriteFile(ca, a.KeysCA(), 0o600); err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(map[string]any{"albArn": a.ARN, "clientId": client, "issuer": issuer, "jwksUri": a.KeysURL, "tokens": tokens})
	cmd := exec.Command(node, "witness.mjs")
	cmd.Env = append(os.Environ(), "NODE_EXTRA_CA_CERTS="+ca) // the script resolves 'aws-jwt-verify' from the project's node_modules
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws-jwt-verify: %v\n%s", err, stderr.String())
	}
	var results []struct{ Sub, Error string }
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if results[0].Sub != "00u1a2b3c4" {
		t.Fatalf("aws-jwt-verify refuses the double's token: %s", results[0].Error)
	}
	for i, name := range []string{"another load balancer", "another client", "expired", "changed"} {
		if r := results[i+1]; r.Error == "" {
			t.Errorf("aws-jwt-verify accepted a token from %s", name)
		}
	}
}
