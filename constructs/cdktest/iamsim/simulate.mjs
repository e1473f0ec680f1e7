// Evaluates AWS requests against IAM policies with @cloud-copilot/iam-simulate (a
// test-only dependency, AGPL-3.0-or-later: it never ships in a ccwb artifact).
//
// stdin: a JSON array of cases {identityPolicies: [doc], resourcePolicy: doc|null,
// resourcePolicyKind: "resource"|"trust", request: {principal, action, resource,
// resourceAccount, context}}. stdout: a JSON array of results {decision, mode, note,
// policyErrors}, one per case, in order.
//
// Each case runs validated first (policies linted, the action and resource ARN checked
// against the Service Authorization Reference, context keys checked for the action). Two
// things the reference does not describe fall back to the unvalidated engine, with the
// reason in `note`: context keys it does not list (an OIDC provider's "<host>:aud") and
// resource ARNs of no listed type (the Region-less foundation model of global profiles).
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'
import {
  createValidatedPolicy,
  validateIdentityPolicy,
  validateResourcePolicy,
  validateTrustPolicy
} from '@cloud-copilot/iam-policy'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const results = []
for (const c of cases) results.push(await evaluate(c))
process.stdout.write(JSON.stringify(results))

async function evaluate(c) {
  const validate = c.resourcePolicyKind === 'trust' ? validateTrustPolicy : validateResourcePolicy
  const identity = c.identityPolicies.map((doc, i) =>
    createValidatedPolicy(doc, validateIdentityPolicy, { name: `identity-${i}` })
  )
  const resource = c.resourcePolicy ? createValidatedPolicy(c.resourcePolicy, validate, { name: 'resource' }) : undefined
  const policyErrors = [...identity, ...(resource ? [resource] : [])].flatMap((p) =>
    p.errors.map((e) => `${p.metadata.name}: ${e.message}${e.path ? ' at ' + e.path : ''}`)
  )
  if (policyErrors.length > 0) return { decision: 'Error', mode: 'none', note: '', policyErrors }

  const r = c.request
  const simulation = {
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: r.resourceAccount },
      contextVariables: r.context ?? {}
    },
    identityPolicies: identity.map((p) => ({ name: p.metadata.name, policy: p })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resource
  }
  const validated = await runSimulation(simulation, {})
  if (validated.resultType === 'single' && validated.result.ignoredContextKeys.length === 0) {
    return { decision: validated.overallResult, mode: 'validated', note: '', policyErrors: [] }
  }
  let note
  if (validated.resultType === 'single') {
    note = `context keys not in the Service Authorization Reference for ${r.action}: ${validated.result.ignoredContextKeys.join(', ')}`
  } else if (validated.resultType === 'error' && validated.errors.message === 'no.resource.types') {
    note = `${r.resource} is of no resource type the Service Authorization Reference lists for ${r.action}`
  } else {
    return { decision: 'Error', mode: 'validated', note: JSON.stringify(validated.errors ?? validated), policyErrors: [] }
  }
  // runUnsafeSimulation returns the decision itself.
  return { decision: runUnsafeSimulation(simulation, {}), mode: 'unvalidated', note, policyErrors: [] }
}
