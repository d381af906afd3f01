import type { FlowDetail } from '../../../../shared/api'
import type { CoreContext } from '../../context'
import { resolveParams } from '../../flows/interpolate'
import { parseFlow } from '../../flows/parse'
import type { FlowService } from '../../flows/service'
import type { PolicyJudge } from '../../runs/planner'
import type { SecretStore } from '../../secrets/secrets'
import { listFlows, listFlowVersions } from '../../store/flows'
import { badRequest } from '../../errors'
import type { Handlers } from '../router'

export function flowHandlers(ctx: CoreContext, flows: FlowService, secrets: SecretStore, policy: PolicyJudge): Handlers {
  const store = ctx.ws.store
  return {
    listFlows: () => listFlows(store),
    getFlow: ({ params }): FlowDetail => {
      const f = flows.mustGet(params.id)
      const parsed = parseFlow(f.source, { secretNames: secrets.names() })
      return parsed.ok
        ? { ...f, params: parsed.flow.params ?? {}, profile: parsed.flow.profile ?? null, problems: [] }
        : { ...f, params: null, profile: null, problems: parsed.problems }
    },
    listFlowVersions: ({ params }) => listFlowVersions(store, flows.mustGet(params.id).id),
    createFlow: ({ body, actor }) => flows.create(body, actor.name),
    updateFlow: ({ params, body, actor }) => flows.update(params.id, body, actor.name),
    validateFlow: ({ body }) => {
      const parsed = parseFlow(body.source, { secretNames: secrets.names() })
      if (!parsed.ok) return { ok: false, problems: parsed.problems }
      return { ok: true, problems: [], name: parsed.flow.name, steps: parsed.flow.steps.length, hash: parsed.hash }
    },
    policyCheck: ({ body }) => {
      if (body.command !== undefined) return policy.judgeCommand(body.command, ctx.ws.paths.root)
      const parsed = flows.parse(body.flow ?? '')
      // The verdict for the values the run would get: given ones over defaults, a missing required one as "".
      const given = body.params ?? {}
      const resolved = resolveParams(parsed.flow, given)
      const params = resolved.ok
        ? resolved.params
        : Object.fromEntries(Object.entries(parsed.flow.params ?? {}).map(([k, v]) => [k, given[k] ?? v.default ?? '']))
      return policy.judgeFlow(parsed.flow, params)
    },
    listSecrets: () => secrets.list(),
    putSecret: ({ body }) => {
      if (body.value.trim() === '') throw badRequest('value must not be blank', 'value')
      return secrets.put(body.name, body.value)
    },
  }
}
