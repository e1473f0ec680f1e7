// Verifies x-amzn-oidc-data tokens with aws-jwt-verify's AlbJwtVerifier (AWS Labs), an
// implementation of the load balancer's documented format that is not ours.
// stdin: {"albArn", "clientId", "issuer", "jwksUri", "tokens": [...]}; stdout: one result per
// token, {"sub": ...} or {"error": ...}. NODE_EXTRA_CA_CERTS trusts the test's key server.
import { AlbJwtVerifier } from 'aws-jwt-verify'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const verifier = AlbJwtVerifier.create({
  albArn: input.albArn, clientId: input.clientId, issuer: input.issuer, jwksUri: input.jwksUri
})
const results = []
for (const token of input.tokens) {
  try {
    const payload = await verifier.verify(token)
    results.push({ sub: payload.sub })
  } catch (err) {
    results.push({ error: `${err.name}: ${err.message}` })
  }
}
process.stdout.write(JSON.stringify(results))
